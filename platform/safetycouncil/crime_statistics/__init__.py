"""Crime statistics: the police's monthly counts per area and offence category, published for
citizens (Open Government Partnership commitment, 2014) with small sensitive counts suppressed."""

OPEN_DATA_LICENCE = "Creative Commons Attribution 4.0 (CC BY 4.0)"
OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
