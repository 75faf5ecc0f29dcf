"""Demo records for this area (filled in as the area is built)."""


def load_demo(municipalities) -> None:
    return None
