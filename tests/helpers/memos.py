"""Memo helpers: the routing fixture object ``Route`` and the Pong Nam Ron 2567 memo of the seed."""
import datetime as dt

from django.test import TestCase
from django.urls import reverse

from memos.models import Memo
from memos.services import memo_decide, memo_send
from organizations.choices import Role
from tests.factories import MeasureFactory, MembershipFactory, MemoFactory, OrganizationFactory, RoutingStepFactory

MEMO_EDIT = reverse("memos:plan_memo_edit", args=["pong-nam-ron", 2567])


def _memo() -> Memo:
    return Memo.objects.get(organization__slug="pong-nam-ron", plan__fiscal_year=2567)


def _memo_state() -> dict:
    memo = _memo()
    return {"memo": Memo.objects.filter(pk=memo.pk).values().get(),
            "comments": list(memo.comments.values_list("order", "title", "text"))}


TITLES = ["ความเห็นหัวหน้าสำนักปลัด", "ความเห็นปลัดเทศบาล", "ความเห็น/คำสั่งนายกเทศมนตรี"]


class Route:
    """The organization, its clerk, the three people of its route, and a draft memo carrying a plan."""

    def __init__(self):
        self.organization = OrganizationFactory(document_number_prefix="บร 71001")
        self.clerk = MembershipFactory(organization=self.organization, role=Role.CLERK).user
        self.steps = [RoutingStepFactory(organization=self.organization, order=n + 1, title=title)
                      for n, title in enumerate(TITLES)]
        self.head, self.palad, self.mayor = (step.user for step in self.steps)
        self.memo = MemoFactory(organization=self.organization)
        self.plan = self.memo.plan
        self.measure = MeasureFactory(plan=self.plan, number=1, title="มาตรการเดิม")

    def memo_now(self) -> Memo:
        return Memo.objects.get(pk=self.memo.pk)

    def url(self, name: str, *args) -> str:
        return reverse(f"memos:{name}", args=[self.organization.slug, self.memo.pk, *args])

    def send(self):
        return memo_send(memo=self.memo, user=self.clerk)

    def through(self, *decisions):
        """Send the memo, then take ``decisions`` (action, comment) in turn. Each decision commits: its
        ``on_commit`` work runs (an approval's issue, by the suite's immediate task backend)."""
        self.send()
        people = iter([self.head, self.palad, self.mayor])
        for action, comment in decisions:
            with committed():
                memo_decide(memo=self.memo_now(), user=next(people), action=action, comment=comment,
                            today=dt.date(2025, 3, 5))
        return self.memo_now()


def committed():
    """Run the ``transaction.on_commit`` callbacks of the block when it ends, as a real commit would (the test's own
    transaction never commits): an approval's issue task runs then (``memos.issuing``)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def approve_all(route: Route) -> Memo:
    return route.through(("forward", "เห็นควรเสนอปลัด"), ("forward", "เห็นควรอนุมัติ"), ("approve", "อนุมัติ"))
