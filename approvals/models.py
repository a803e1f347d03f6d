"""The one log of approvals: every transition of a plan, a progress report or a memo (docs/architecture.md,
"History mechanisms")."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Capacity


class TransitionQuerySet(models.QuerySet):
    def of(self, item: models.Model) -> "TransitionQuerySet":
        """The transitions of ``item`` (a saved model instance), oldest first, with their content type and user.

        The content type is matched by a join on its app label and model name, not by the id from
        ``ContentType.objects.get_for_model``: that id comes from a per-process cache, so a page would run one
        query more or less depending on what ran before it, and the pages' query counts are pinned."""
        meta = item._meta.concrete_model._meta
        return self.filter(content_type__app_label=meta.app_label, content_type__model=meta.model_name,
                           object_id=item.pk).select_related("content_type", "user").order_by("at", "pk")


class Transition(models.Model):
    """One transition of an item that is approved (a plan, a progress report, a memo), never changed nor deleted
    while the item exists: who (``user``) did what (``action``), from which state to which, when (``at``), with
    what comment (a memo decision's comment or order, the reason of a reopen, or through which memo a plan was
    approved), at which step of a memo's route (``step_title``), and in what capacity (``capacity``: "" in their
    own right, else ``Capacity``, for a substitute who decided for the step's holder).

    The states and actions are the item's own (``measures.choices.ApprovalState``/``ApprovalAction``,
    ``memos.choices.MemoState``/``MemoAction``), declared on its model as ``transition_states`` and
    ``transition_actions``; the item's transition table decides which transitions happen (``measures.workflow``,
    ``memos.workflow``), this log only records them. The item is a generic relation (content type and id), so the
    apps above this one write here without this app knowing them; each item model has a ``GenericRelation`` named
    ``transitions``, so deleting the item deletes its log."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("item type"))
    object_id = models.PositiveBigIntegerField(_("item id"))
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(_("from"), max_length=16)
    to_state = models.CharField(_("to"), max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    step_title = models.CharField(_("step"), max_length=200, blank=True)
    # Issue 22 §3: a memo decided by the substitute of the step's holder records in what capacity; empty when the
    # holder (or anyone acting in their own right) decided.
    capacity = models.CharField(_("capacity"), max_length=16, choices=Capacity.choices, blank=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="transition_item_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_from_state_display()} → {self.get_to_state_display()}"

    def _label(self, kind: str, value: str) -> str:
        choices = getattr(self.content_type.model_class(), kind, None)
        return choices(value).label if choices is not None and value in choices.values else value

    def get_action_display(self) -> str:
        """The action's label from the item model's ``transition_actions`` (the code itself when unknown)."""
        return self._label("transition_actions", self.action)

    def get_from_state_display(self) -> str:
        return self._label("transition_states", self.from_state)

    def get_to_state_display(self) -> str:
        return self._label("transition_states", self.to_state)
