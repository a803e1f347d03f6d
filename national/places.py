"""The generated country's places, organizations, departments and officials."""
import random
from collections import defaultdict

from core.thai import to_thai_digits

from . import names
from .spec import GENERATED_SLUG_PREFIX, GeneratedOrganization, Spec, kind_counts, largest_remainder


def geography(rng: random.Random) -> dict[str, list[str]]:
    """Province → its districts: "เมือง<province>" first, then made-up names (878 in all)."""
    places = [first + second for first in names.PLACE_FIRST for second in names.PLACE_SECOND]
    return {province: [f"เมือง{province}", *rng.sample(places, count - 1)]
            for province, count in names.PROVINCE_AMPHOE.items()}


class _PlaceNames:
    """Unique made-up place names within each province, drawn at random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.places = [first + second for first in names.PLACE_FIRST for second in names.PLACE_SECOND]
        self.left: dict[str, list[str]] = {}

    def take(self, province: str) -> str:
        if not self.left.get(province):
            self.left[province] = self.rng.sample(self.places, len(self.places))
        return self.left[province].pop()


def organization_rows(spec: Spec, rng: random.Random, first_id: int) -> list[GeneratedOrganization]:
    """The organizations, by province (largest first) and district; slugs gen-00001 …"""
    districts = geography(rng)
    counts = kind_counts(spec.organizations)
    provinces = sorted(names.PROVINCE_AMPHOE, key=lambda p: -names.PROVINCE_AMPHOE[p])
    weights = {p: float(names.PROVINCE_AMPHOE[p]) for p in provinces}
    place_names = _PlaceNames(rng)
    rows: list[tuple[str, str, str, str]] = []  # (province, amphoe, kind, name)
    for province in provinces[: counts["pao"]]:
        rows.append((province, districts[province][0], "pao", f"{names.KIND_WORDS['pao'][0]}{province}"))
    cities: dict[str, int] = defaultdict(int)
    for index in range(counts["city_municipality"]):
        province = provinces[index % len(provinces)]
        cities[province] += 1
        place = province if cities[province] == 1 else place_names.take(province)
        rows.append((province, districts[province][0], "city_municipality", f"เทศบาลนคร{place}"))
    for kind in ("town_municipality", "tambon_municipality", "sao"):
        for province, count in largest_remainder(counts[kind], weights).items():
            order = rng.sample(districts[province], len(districts[province]))
            for index in range(count):
                place = place_names.take(province)
                if kind == "town_municipality" and index == 0 and not cities[province]:
                    place = province
                amphoe = order[index % len(order)] if kind != "town_municipality" else districts[province][0]
                rows.append((province, amphoe, kind, f"{names.KIND_WORDS[kind][0]}{place}"))
    for index in range(counts["other"]):
        province = provinces[index % len(provinces)]
        agency = names.OTHER_AGENCIES[(index // len(provinces)) % len(names.OTHER_AGENCIES)]
        round_ = index // (len(provinces) * len(names.OTHER_AGENCIES))
        suffix = f" เขต {to_thai_digits(round_ + 1)}" if round_ else ""
        rows.append((province, districts[province][0], "other", f"{agency}{province}{suffix}"))
    rank = {p: i for i, p in enumerate(provinces)}
    rows.sort(key=lambda row: (rank[row[0]], row[1] != districts[row[0]][0], row[1], row[2], row[3]))
    return [
        GeneratedOrganization(id=first_id + i, slug=f"{GENERATED_SLUG_PREFIX}{i + 1:05d}", name=name, kind=kind,
                              province=province, amphoe=amphoe, diligence=rng.uniform(0.55, 1.0))
        for i, (province, amphoe, kind, name) in enumerate(rows)
    ]


def people_rows(organizations: list[GeneratedOrganization], rng: random.Random, first_department: int):
    """Departments (3–11 by kind) and two officials (the executive and the chief administrator) per organization:
    (department rows, official rows); fills ``GeneratedOrganization.departments``."""
    departments, officials = [], []
    next_id = first_department
    for organization in organizations:
        always, sometimes = names.DEPARTMENTS[organization.kind]
        chosen = [*always, *(name for name in sometimes if rng.random() < 0.5)]
        for order, name in enumerate(chosen, start=1):
            departments.append((next_id, organization.id, name, order))
            organization.departments.append(next_id)
            next_id += 1
        head, chief = _positions(organization)
        for order, position in enumerate((head, chief), start=1):
            title, given = rng.choice(names.FIRST_NAMES)
            person = f"{title}{rng.choice(given)} {rng.choice(names.SURNAMES)}"
            department = organization.departments[0] if order == 2 else None
            officials.append((organization.id, person, [position], department, order))
    return departments, officials


def _positions(organization: GeneratedOrganization) -> tuple[str, str]:
    """Titles of the executive and of the chief administrator (ปลัด) of ``organization``."""
    if organization.kind == "other":
        return f"ผู้อำนวยการ{organization.name}", "หัวหน้าฝ่ายบริหารทั่วไป"
    executive = organization.name.replace("เทศบาล", "นายกเทศมนตรี", 1) if "municipality" in organization.kind \
        else f"นายก{organization.name}"
    return executive, f"ปลัด{organization.name}"

