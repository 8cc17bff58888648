"""California's 58 counties by the Secretary of State's code (the voter file's CountyCode)."""

COUNTY_NAMES: dict[str, str] = {
    f"{number:02d}": name
    for number, name in enumerate(
        (
            "Alameda",
            "Alpine",
            "Amador",
            "Butte",
            "Calaveras",
            "Colusa",
            "Contra Costa",
            "Del Norte",
            "El Dorado",
            "Fresno",
            "Glenn",
            "Humboldt",
            "Imperial",
            "Inyo",
            "Kern",
            "Kings",
            "Lake",
            "Lassen",
            "Los Angeles",
            "Madera",
            "Marin",
            "Mariposa",
            "Mendocino",
            "Merced",
            "Modoc",
            "Mono",
            "Monterey",
            "Napa",
            "Nevada",
            "Orange",
            "Placer",
            "Plumas",
            "Riverside",
            "Sacramento",
            "San Benito",
            "San Bernardino",
            "San Diego",
            "San Francisco",
            "San Joaquin",
            "San Luis Obispo",
            "San Mateo",
            "Santa Barbara",
            "Santa Clara",
            "Santa Cruz",
            "Shasta",
            "Sierra",
            "Siskiyou",
            "Solano",
            "Sonoma",
            "Stanislaus",
            "Sutter",
            "Tehama",
            "Trinity",
            "Tulare",
            "Tuolumne",
            "Ventura",
            "Yolo",
            "Yuba",
        ),
        start=1,
    )
}


def county_name(code: str) -> str:
    """'19' -> 'Los Angeles County'; a code not known as itself."""
    name = COUNTY_NAMES.get(code)
    return f"{name} County" if name else f"county {code}"


def county_code_of(text: str) -> str | None:
    """A county given as its code ('19', '1') or its name ('Los Angeles', 'los angeles county')."""
    value = text.strip()
    if value.isascii() and value.isdigit():
        code = f"{int(value):02d}"
        return code if code in COUNTY_NAMES else None
    wanted = value.lower().removesuffix(" county").strip()
    return next((c for c, n in COUNTY_NAMES.items() if n.lower() == wanted), None)
