"""Hand-kept facts that ``airportsdata`` does not carry: metropolitan areas and the busiest airports.

``airportsdata`` lists every airport with its IATA code, city, subdivision, country and
time zone, but neither passenger traffic nor the metropolitan groupings travellers mean by
"New York" (JFK, LGA *and* EWR, which the data files under Newark). These two small
tables fill that gap; ``places`` explains how they are used.
"""

from __future__ import annotations

__all__ = ["COUNTRY_ALIASES", "HUBS", "METROS"]

# name, ISO country, airports (the first one gives the region and time zone), other names said for it.
# Modelled on IATA's metropolitan area codes (NYC, LON, PAR, TYO, ...).
METROS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("New York", "US", ("JFK", "LGA", "EWR"), ("new york city", "nyc")),
    ("Washington", "US", ("IAD", "DCA", "BWI"), ("washington dc", "dc")),
    ("Chicago", "US", ("ORD", "MDW"), ()),
    ("Dallas", "US", ("DFW", "DAL"), ("dallas fort worth", "dallas ft worth", "dfw")),
    ("Houston", "US", ("IAH", "HOU"), ()),
    ("Toronto", "CA", ("YYZ", "YTZ"), ()),
    ("Montreal", "CA", ("YUL",), ()),
    ("Vancouver", "CA", ("YVR",), ()),
    ("London", "GB", ("LHR", "LGW", "STN", "LTN", "LCY", "SEN"), ()),
    ("Paris", "FR", ("CDG", "ORY"), ()),
    ("Milan", "IT", ("MXP", "LIN", "BGY"), ("milano",)),
    ("Rome", "IT", ("FCO", "CIA"), ("roma",)),
    ("Frankfurt", "DE", ("FRA",), ("frankfurt am main",)),
    ("Moscow", "RU", ("SVO", "DME", "VKO"), ()),
    ("Istanbul", "TR", ("IST", "SAW"), ()),
    ("Stockholm", "SE", ("ARN", "BMA"), ()),
    ("Tokyo", "JP", ("HND", "NRT"), ()),
    ("Osaka", "JP", ("KIX", "ITM"), ()),
    ("Seoul", "KR", ("ICN", "GMP"), ()),
    ("Taipei", "TW", ("TPE", "TSA"), ("taipei city",)),
    ("Sapporo", "JP", ("CTS",), ()),
    ("Xi'an", "CN", ("XIY",), ()),
    ("New Delhi", "IN", ("DEL",), ("delhi",)),
    ("Bangkok", "TH", ("BKK", "DMK"), ()),
    ("Jakarta", "ID", ("CGK", "HLP"), ()),
    ("Dubai", "AE", ("DXB", "DWC"), ()),
    ("Sao Paulo", "BR", ("GRU", "CGH", "VCP"), ()),
    ("Rio de Janeiro", "BR", ("GIG", "SDU"), ("rio",)),
    ("Buenos Aires", "AR", ("EZE", "AEP"), ()),
    ("Mexico City", "MX", ("MEX", "NLU"), ()),
)

# The busiest passenger airports (roughly the world's top 150 by traffic): a name that one
# of these serves beats the same name elsewhere ("Paris" is not Paris, Texas).
HUBS: frozenset[str] = frozenset(
    [
        "ATL", "DFW", "DEN", "ORD", "LAX", "JFK", "LAS", "MCO", "MIA", "CLT", "SEA", "PHX", "EWR", "SFO", "IAH",
        "BOS", "FLL", "MSP", "LGA", "DTW", "PHL", "SLC", "DCA", "SAN", "BWI", "TPA", "AUS", "IAD", "BNA", "MDW",
        "HNL", "LHR", "CDG", "AMS", "FRA", "IST", "MAD", "BCN", "MUC", "FCO", "LGW", "SAW", "PMI", "DUB", "ZRH",
        "CPH", "OSL", "ARN", "VIE", "LIS", "BRU", "MXP", "ATH", "MAN", "STN", "HEL", "WAW", "PRG", "BER", "BHX",
        "EDI", "GVA", "NCE", "LYS", "AGP", "OPO", "DXB", "DOH", "AUH", "JED", "RUH", "TLV", "HND", "NRT", "ICN",
        "GMP", "PEK", "PKX", "PVG", "SHA", "CAN", "SZX", "CTU", "KMG", "XIY", "HKG", "TPE", "SIN", "BKK", "DMK",
        "KUL", "CGK", "MNL", "DEL", "BOM", "BLR", "HYD", "MAA", "CCU", "KIX", "FUK", "CTS", "SGN", "HAN", "SYD",
        "MEL", "BNE", "AKL", "PER", "YYZ", "YVR", "YUL", "YYC", "MEX", "CUN", "GDL", "GRU", "GIG", "BOG", "LIM",
        "SCL", "EZE", "PTY", "JNB", "CPT", "CAI", "ADD", "NBO", "LOS", "CMN",
    ]
)

# Everyday names for countries, beside the ISO names.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("usa", "us", "america", "united states", "the states"),
    "GB": ("uk", "britain", "great britain", "united kingdom"),
    "AE": ("uae", "emirates"),
    "KR": ("korea", "south korea"),
    "RU": ("russia",),
    "NL": ("holland", "netherlands"),
    "CZ": ("czech republic", "czechia"),
}
