"""What the generator makes (``Spec``), how many of each kind, and the organization being generated."""
from dataclasses import dataclass, field
from decimal import Decimal

from . import names

GENERATED_SLUG_PREFIX = "gen-"
NATIONAL_AGENCIES = 8300  # agencies assessed every year (ita-framework.md §1)
LOCAL_GOVERNMENTS = 7850
LOCAL_KINDS = {"sao": 5312, "tambon_municipality": 2242, "town_municipality": 190, "city_municipality": 30, "pao": 76}
SCORES = [Decimal(cents).scaleb(-2) for cents in range(10001)]  # hundredths → Decimal("96.55")


@dataclass(frozen=True)
class Spec:
    """What to generate: ``organizations`` agencies, the ``years`` fiscal years (BE) up to ``last_year``, about
    ``measures`` measures per plan, ``chunk`` organizations per transaction of plans, from ``seed``."""

    organizations: int = NATIONAL_AGENCIES
    years: int = 8
    seed: int = 1
    last_year: int = 2569
    measures: int = 10
    chunk: int = 200

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.last_year - self.years + 1, self.last_year + 1))


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """``total`` split into integers proportional to ``weights`` that sum to ``total`` (Hamilton's method: floors,
    then one more to the largest remainders; ties in ``weights`` order)."""
    scale = sum(weights.values())
    exact = {key: total * weight / scale for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(weights, key=lambda key: counts[key] - exact[key])
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def kind_counts(organizations: int) -> dict[str, int]:
    """Organizations per kind for ``organizations`` agencies: local governments are ``organizations`` × 7,850/8,300
    in the real proportions, at most one อบจ. per province; the rest are ``other``. 8,300 → อบต. 5,312, ทต. 2,242,
    ทม. 190, ทน. 30, อบจ. 76, other 450."""
    local = round(organizations * LOCAL_GOVERNMENTS / NATIONAL_AGENCIES)
    counts = largest_remainder(local, LOCAL_KINDS)
    provinces = len(names.PROVINCE_AMPHOE)
    if counts["pao"] > provinces:
        counts["sao"] += counts["pao"] - provinces
        counts["pao"] = provinces
    counts["other"] = organizations - local
    return counts


@dataclass
class GeneratedOrganization:
    """One organization being generated: its row, its department ids, its habits and its assessments."""

    id: int
    slug: str
    name: str
    kind: str
    province: str
    amphoe: str
    departments: list[int] = field(default_factory=list)
    diligence: float = 1.0  # how much of its plan it gets done
    assessments: dict[int, tuple[int, list[int]]] = field(default_factory=dict)  # year → (id, indicator cents)

