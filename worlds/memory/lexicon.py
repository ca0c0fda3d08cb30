"""The fixed word lists values are built from: names, streets, and the organisations a person deals with.

Entries of ``LISTS`` are ``"Canonical|alias|alias"``. Aliases are only spellings distinctive enough that a substring
match on them is safe (no "Focus" for "Focus Eyecare"), and no entry uses a word that filler text uses.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Priya", "Marcus", "Elena", "Tobias", "Aisha", "Dmitri", "Fenna", "Gustavo", "Harriet", "Ibrahim", "Jolene",
    "Kwame", "Leonie", "Mateo", "Nadia", "Oskar", "Paloma", "Quentin", "Rosalind", "Leopold", "Thandiwe", "Ulrich",
    "Valentina", "Wendell", "Ximena", "Yusuf", "Zofia", "Anselm", "Beatriz", "Cormac", "Delphine", "Emeka",
    "Florian", "Giselle", "Hamish", "Ingrid", "Jasper", "Kalinda", "Lorcan", "Marisol", "Niamh", "Obadiah",
    "Perpetua", "Rafferty", "Svetlana", "Tiberius", "Ursula", "Vikram", "Wilhelmina", "Yolanda",
)
LAST_NAMES = (
    "Okafor", "Lindqvist", "Moreau", "Castellanos", "Nakamura", "Brennan", "Haddad", "Kowalczyk", "Fitzgerald",
    "Abernathy", "Delacroix", "Ferreira", "Gallagher", "Ishikawa", "Jankowski", "Kapoor", "Lombardi", "Mbeki",
    "Novak", "Oyelaran", "Petrakis", "Quispe", "Rasmussen", "Szabo", "Thorne", "Underwood", "Vasquez", "Whitlock",
    "Yilmaz", "Zielinski", "Achterberg", "Balogun", "Cavanagh", "Dubois", "Esposito", "Fairbanks", "Grummet",
    "Holloway", "Iwasaki", "Jovanovic",
)
# bystanders are named by first name only, from a list disjoint from FIRST_NAMES, so a bystander never reads as a value
BYSTANDERS = ("Sam", "Dana", "Robin", "Kit", "Jules", "Noor", "Bex", "Rafi", "Tamsin", "Ollie", "Ines", "Mika")
RELATIONS = ("colleague", "neighbour", "cousin", "friend", "flatmate", "teammate", "classmate", "gym buddy")

STREETS = (
    "Oak", "Elm", "Pine", "Maple", "Cedar", "Birch", "Willow", "Chestnut", "Hawthorn", "Juniper", "Laurel",
    "Magnolia", "Sycamore", "Aspen", "Poplar", "Alder", "Linden", "Rowan", "Hazel", "Holly", "Beacon", "Harbor",
    "Mill", "Bridge", "Church", "Orchard", "Meadow", "Foxglove", "Kingfisher", "Heron", "Larkspur", "Marigold",
    "Primrose", "Thistle", "Clover", "Bramble", "Copper", "Granite", "Quarry", "Windmill", "Lantern", "Harvest",
)
SUFFIXES = (
    ("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Lane", "Ln"), ("Drive", "Dr"), ("Place", "Pl"),
    ("Court", "Ct"), ("Boulevard", "Blvd"), ("Terrace", "Terr"),
)
AREA_CODES = ("415", "212", "617", "503", "312", "206", "303", "512", "404", "713", "602", "919")
EMAIL_DOMAINS = (
    "northwindlabs.io", "brightpath.com", "cobaltfreight.com", "halcyon.dev", "juniperanalytics.co",
    "lumenrobotics.ai", "ferrowave.energy", "quillstone.pub", "tidewater.co", "aurorabio.org",
)
MAIL_PROVIDERS = ("mailbox.org", "fastmail.com", "proton.me", "postbox.net", "letterly.io")
PASSWORD_WORDS = (
    "otter", "comet", "saffron", "walrus", "nebula", "pretzel", "tangelo", "quokka", "zephyr", "bramblewood",
    "cobalt", "falcon", "lagoon", "mosaic", "pumpkin", "sherbet", "tundra", "velvet", "wombat", "yonder",
)

LISTS: dict[str, tuple[str, ...]] = {
    "employers": (
        "Northwind Labs", "Brightpath Health", "Cobalt Freight", "Halcyon Software", "Juniper Analytics",
        "Lumen Robotics", "Ferrowave Energy", "Quillstone Publishing", "Tidewater Logistics", "Aurora Biotech",
        "Kestrel Media", "Vantage Civil Engineering",
    ),
    "gyms": (
        "Iron Temple Gym|Iron Temple", "PulseFit Studio|PulseFit", "Harbor Athletic Club", "Summit Strength Club",
        "CoreWorks Gym|CoreWorks", "Northside Fitness", "Riverbend YMCA", "Anvil Fitness", "Blue Lane Gym",
    ),
    "pharmacies": (
        "Greenleaf Pharmacy|Greenleaf", "CareWell Chemist|CareWell", "Corner Apothecary", "Hillcrest Pharmacy",
        "MedPoint Pharmacy|MedPoint", "Riverside Drugs", "Parkway Pharmacy", "Willow Chemist",
    ),
    "groceries": (
        "FreshMart", "Green Basket Market|Green Basket", "Harvest Co-op", "Corner Grocer", "Sunrise Supermarket",
        "Valley Foods", "PennySave", "Orchard Grocers",
    ),
    "cafes": (
        "Bean There Cafe|Bean There", "The Daily Grind|Daily Grind", "Copper Kettle Cafe|Copper Kettle",
        "Little Fox Coffee|Little Fox", "Steam & Stone|Steam and Stone", "Morning Ritual Cafe|Morning Ritual",
        "Blue Door Espresso|Blue Door", "Half Moon Coffee|Half Moon",
    ),
    "banks": (
        "First Harbor Bank|First Harbor", "Meridian Credit Union", "Crestline Bank", "Northstar Savings",
        "Evergreen Bank", "Unity Federal Bank", "Bluewater Bank|Bluewater", "Keystone Mutual Bank",
    ),
    "airlines": (
        "SkyLark Airways|SkyLark", "Aurora Air", "Pacific Crest Airlines|Pacific Crest", "Nordic Wings",
        "Sunway Airlines|Sunway", "Atlas Jet", "Horizon Blue Airways|Horizon Blue", "Coastal Air",
    ),
    "insurers": (
        "Safeguard Mutual|Safeguard", "Liberty Oak Insurance|Liberty Oak", "Shieldline Insurance|Shieldline",
        "Harborside Insurance", "TrueNorth Cover|TrueNorth", "Beacon Assurance", "Pinnacle Insure",
        "Ironclad Insurance|Ironclad",
    ),
    "health_insurers": (
        "WellSpring Health|WellSpring", "Clearview Health Plan", "Vitality Care Plan", "Cornerstone Health",
        "BrightCare Insurance|BrightCare", "Unison Health", "HealthFirst Mutual|HealthFirst", "Sagebrush Health",
    ),
    "carriers": (
        "Vireo Mobile|Vireo", "Pulse Wireless", "Orbit Telecom", "Nimbus Mobile", "Lighthouse Wireless",
        "Kite Mobile", "Zephyr Telecom", "Echo Cellular",
    ),
    "isps": (
        "FiberLink Broadband|FiberLink", "StreamNet Broadband|StreamNet", "Hyperion Fiber", "CityWave Internet",
        "Starlane Broadband|Starlane", "Quantum Cable", "NetHarbor Internet|NetHarbor", "Skyline Fiber",
    ),
    "utilities": (
        "Brightwatt Energy|Brightwatt", "GreenGrid Power|GreenGrid", "Volta Electric", "SunCurrent Energy",
        "Northern Power Co", "Ampere Utilities", "Clearsky Energy", "Riverlight Power|Riverlight",
    ),
    "schools": (
        "Maple Grove Elementary", "Lincoln Park Primary", "Riverside Academy", "St. Brigid's School",
        "Oakridge Elementary|Oakridge", "Hillside Primary", "Westbrook School|Westbrook", "Cedar Hollow Elementary",
    ),
    "care_homes": (
        "Rosewood Care Home|Rosewood", "Willowbank House|Willowbank", "Sunnyside Residence", "Heatherlea Care Home",
        "Meadowcroft Lodge|Meadowcroft", "Ashgrove Manor|Ashgrove", "Elmhurst Gardens|Elmhurst", "Brookfield House",
    ),
    "cars": (
        "blue Honda Civic", "silver Toyota Corolla", "red Mazda CX-5", "white Tesla Model 3", "green Subaru Outback",
        "black Ford Focus", "grey Volkswagen Golf", "yellow Fiat Panda", "orange Kia Soul", "maroon Volvo XC40",
    ),
    "commutes": (
        "38 bus|number 38 bus", "Green Line", "Red Line", "number 12 tram", "harbour ferry", "51 express bus",
        "Blue Line", "Orbital coach",
    ),
    "routes": (
        "canal towpath loop", "riverside trail", "reservoir circuit", "old railway path", "harbour front route",
        "lakeshore path", "botanic garden loop", "ridge trail",
    ),
    "salons": (
        "Shear Genius", "The Cutting Room", "Mane Street Salon", "Blade & Brush|Blade and Brush", "Salon Luxe",
        "Fringe Benefits Salon", "Tangles Hair Studio", "Curl Up & Dye",
    ),
    "vets": (
        "Pawsitive Vet Clinic|Pawsitive", "Greenfield Animal Hospital", "Four Paws Veterinary", "Whisker Wellness",
        "Tailwind Vets", "Hollybrook Vet", "Cedar Animal Clinic", "Barkley Veterinary",
    ),
    "restaurants": (
        "Trattoria Lucia", "Saffron House", "The Olive Branch", "Noodle Bar Kenji", "El Camino Cantina",
        "Bistro Verde", "Golden Lotus", "Smokehouse Forty-One",
    ),
    "studios": (
        "Lotus Flow Yoga|Lotus Flow", "Breathe Yoga Studio", "Sunsalute Yoga|Sunsalute", "Still Point Yoga",
        "Prana House Yoga|Prana House", "Moonrise Yoga", "Kindred Yoga", "Lanternlight Yoga",
    ),
    "pools": (
        "Westside Leisure Pool", "Lido Swim Club", "Marina Aquatic Centre", "Eastgate Baths|Eastgate",
        "Parkview Pool", "Crystal Springs Pool", "Tidepool Swim Centre", "Kingsmead Baths",
    ),
    "coworkings": (
        "The Hive Coworking", "Desk Union", "Foundry Works", "Commons Hub", "Launchpad Coworking", "Workloft",
        "Makers Yard", "Inkwell Studios",
    ),
    "opticians": (
        "ClearSight Opticians|ClearSight", "Spectacle Lane", "Focus Eyecare", "Iris & Co Optical",
        "BrightEyes Optical|BrightEyes", "Lens Lab Opticians", "Visionary Eyewear", "Optique Noir",
    ),
    "stations": (
        "Central Station", "Northgate Station", "Millbrook Station", "Harbour Station", "Elm Park Station",
        "Riverside Junction", "Westfield Halt", "Union Square Station",
    ),
    "teams": (
        "Payments Platform team|Payments Platform", "Growth Analytics team|Growth Analytics",
        "Mobile Apps team|Mobile Apps", "Data Infrastructure team|Data Infrastructure",
        "Customer Insights team|Customer Insights", "Search Quality team|Search Quality",
        "Security Operations team|Security Operations", "Design Systems team|Design Systems",
    ),
    "job_titles": (
        "senior data analyst", "product manager", "UX researcher", "staff engineer", "marketing lead",
        "operations manager", "solutions architect", "account director",
    ),
    "diets": ("vegetarian", "pescatarian", "vegan", "keto", "gluten-free", "dairy-free", "low-carb", "flexitarian"),
    "drinks": (
        "oat flat white", "double espresso", "iced americano", "chai latte", "cortado", "matcha latte",
        "decaf cappuccino", "mocha with extra shot",
    ),
    "cities": (
        "Lisbon", "Porto", "Denver", "Calgary", "Edinburgh", "Montreal", "Melbourne", "Seville", "Bristol",
        "Portland", "Vancouver", "Dublin", "Leeds", "Boston",
    ),
    "language_schools": (
        "Lingua Viva", "Babel Language Centre", "Polyglot Institute", "Instituto Sol", "Parla Language School",
        "WordBridge Academy|WordBridge", "Hablamos Centre", "Lenguas Vivas",
    ),
    "climbing": (
        "Gravity Climbing Gym", "The Boulder Barn|Boulder Barn", "Crux Climbing Centre", "Redpoint Walls",
        "Vertical Garden Climbing", "Overhang Bouldering", "Chalk Bag Climbing", "Sendit Wall",
    ),
    "mechanics": (
        "Precision Auto", "Main Street Motors", "Gearhead Garage", "Torque & Tyre|Torque and Tyre",
        "Hillside Autos", "Sparkplug Garage", "Wrenchworks", "Redline Auto Repair",
    ),
    "bus_stops": (
        "library stop", "post office stop", "fire station stop", "market square stop", "community centre stop",
        "war memorial stop", "bakery corner stop", "clock tower stop",
    ),
}
