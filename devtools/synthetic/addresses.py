"""A street address drawn in one area, with the precinct and ZIP+4 its block gives it."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass

from devtools.synthetic.tables import Area


@dataclass(slots=True)
class Address:
    house_number: str
    fraction: str
    predir: str
    street_name: str
    street_type: str
    postdir: str
    city: str
    zip5: str
    plus4: str
    precinct: str
    district: str


def draw_address(rnd: Callable[[], float], area: Area) -> Address:
    si = bisect(area.street_cum, rnd())
    st = area.streets[si]
    hn = st.lo + int(rnd() * (st.hi - st.lo))
    di = int(rnd() * len(st.predirs))
    block = hn // 500
    zips = area.zips
    precinct = (si * 7 + block * 3 + di) % area.n_precincts
    return Address(
        house_number=str(hn),
        fraction="",
        predir=st.predirs[di],
        street_name=st.name,
        street_type=st.type,
        postdir=st.postdir,
        city=area.city,
        zip5=zips[(si * 3 + block // 4) % len(zips)],
        plus4=f"{(si * 131 + block * 17 + (hn // 100) * 7 + di) % 9999 + 1:04d}",
        precinct=f"{area.pcode}{precinct:03d}",
        district=area.district,
    )
