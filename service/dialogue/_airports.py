"""Hand-kept facts the maintained data does not carry: metropolitan areas, colloquial names, country names.

``airportsdata``, OurAirports and GeoNames say which airports a city has, how large they are
and what else the city is called, but not the metropolitan groupings travellers mean by
"New York" (JFK, LGA *and* EWR, which the data files under Newark), nor a few nicknames.
These small tables fill that gap; ``places`` explains how they are used.
"""

from __future__ import annotations

__all__ = ["AREAS", "COLLOQUIAL", "COUNTRY_ALIASES", "METROS"]

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

# Islands and resorts travellers name instead of the town whose airport serves them (name, ISO
# country, airports, other names): GeoNames lists towns of 15,000 people and more, not islands,
# and the airport lists file Maui's airport under Kahului, Vail's under Eagle and Martha's
# Vineyard's under Vineyard Haven. No other names that are everyday words ("the keys").
AREAS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Maui", "US", ("OGG",), ()),
    ("Kauai", "US", ("LIH",), ("kaua'i",)),
    ("Oahu", "US", ("HNL",), ("o'ahu",)),
    ("Big Island", "US", ("KOA", "ITO"), ("hawaii island", "big island of hawaii")),
    ("Kona", "US", ("KOA",), ()),
    ("Martha's Vineyard", "US", ("MVY",), ()),
    ("Cape Cod", "US", ("HYA",), ()),
    ("Jackson Hole", "US", ("JAC",), ()),
    ("Vail", "US", ("EGE",), ()),
    ("Steamboat Springs", "US", ("HDN",), ("steamboat",)),
    ("Park City", "US", ("SLC",), ()),
    ("Lake Tahoe", "US", ("RNO",), ()),
    ("Walt Disney World", "US", ("MCO",), ("disney world",)),
    ("Disneyland", "US", ("SNA", "LGB", "LAX"), ()),
    ("Florida Keys", "US", ("EYW",), ()),
    ("Sanibel Island", "US", ("RSW",), ("sanibel",)),
    ("Whistler", "CA", ("YVR",), ()),
    ("Cabo San Lucas", "MX", ("SJD",), ("cabo", "los cabos")),
    ("Antigua", "AG", ("ANU",), ()),
    ("Sint Maarten", "SX", ("SXM",), ("st maarten", "saint maarten")),
    ("St. Kitts", "KN", ("SKB",), ("saint kitts", "st kitts")),
    ("Turks and Caicos", "TC", ("PLS",), ("turks and caicos islands",)),
    ("Grand Cayman", "KY", ("GCM",), ()),
    ("Tahiti", "PF", ("PPT",), ()),
    ("Mallorca", "ES", ("PMI",), ("majorca",)),
    ("Menorca", "ES", ("MAH",), ("minorca",)),
    ("Crete", "GR", ("HER", "CHQ"), ()),
    ("Algarve", "PT", ("FAO",), ()),
    ("Bay Area", "US", ("SFO", "OAK", "SJC"), ("san francisco bay area", "sf bay area")),
    ("Twin Cities", "US", ("MSP",), ()),
    ("Outer Banks", "US", ("ORF",), ()),
    ("Mount Hood", "US", ("PDX",), ("mt hood", "mt. hood")),
    ("Napa Valley", "US", ("OAK", "SFO", "STS"), ("napa",)),  # Napa's own airport has no airline
)

# Names people use that GeoNames' other names lack: name -> (city, country). GeoNames already
# knows "Vegas", "Philly", "NOLA", "LA", "SF", "CDMX", "KL", "Saigon", "Bombay" and "Big Apple".
COLLOQUIAL: dict[str, tuple[str, str]] = {
    "chi town": ("Chicago", "US"),
    "chitown": ("Chicago", "US"),
    "windy city": ("Chicago", "US"),
    "sin city": ("Las Vegas", "US"),
    "motor city": ("Detroit", "US"),
    "beantown": ("Boston", "US"),
    "h town": ("Houston", "US"),
    "the big easy": ("New Orleans", "US"),
    "big easy": ("New Orleans", "US"),
    "frisco": ("San Francisco", "US"),
    "kc": ("Kansas City", "US"),
}

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
