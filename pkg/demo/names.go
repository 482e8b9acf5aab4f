package demo

// The word lists names are made from. Changing them changes every generated
// dataset, and so the embedded demo files (run go generate).

// firstNames and lastNames make the reps' names: 50 x 50 = 2,500 distinct
// full names before they repeat.
var firstNames = [...]string{
	"Aisha", "Alejandro", "Amara", "Andre", "Anna", "Ben", "Carlos", "Chloe", "Daniel", "Deepa",
	"Diego", "Elena", "Emeka", "Emily", "Fatima", "Grace", "Hannah", "Hiroshi", "Isabel", "Jamal",
	"James", "Jin", "Julia", "Kevin", "Keisha", "Laura", "Leila", "Lucas", "Maria", "Marcus",
	"Mei", "Michael", "Nadia", "Noah", "Olivia", "Omar", "Priya", "Rachel", "Rafael", "Rosa",
	"Samuel", "Sara", "Sofia", "Tariq", "Thomas", "Tyrone", "Valentina", "Wei", "Yusuf", "Zoe",
}

var lastNames = [...]string{
	"Adams", "Alvarez", "Baker", "Bennett", "Brooks", "Campbell", "Chen", "Collins", "Cruz", "Davis",
	"Diaz", "Edwards", "Evans", "Fischer", "Flores", "Garcia", "Gonzalez", "Green", "Hall", "Harris",
	"Hughes", "Jackson", "Johnson", "Kim", "Lee", "Lopez", "Martin", "Mitchell", "Moore", "Murphy",
	"Nguyen", "Okafor", "Patel", "Perez", "Price", "Ramirez", "Reed", "Rivera", "Robinson", "Rossi",
	"Sanders", "Shah", "Smith", "Sullivan", "Taylor", "Thompson", "Turner", "Walker", "Washington", "Young",
}

// nameFirst, nameSecond and nameSuffix make the accounts' business names,
// such as "Harbor Supply Co.": 60 x 40 x 12 = 28,800 distinct names. None
// holds a comma or a quote, so CSV fields need no quoting; "& Sons" is kept
// on purpose, so that writers of HTML, SVG and XML see a character they
// must escape.
var nameFirst = [...]string{
	"Harbor", "Summit", "Pinecrest", "Riverbend", "Oakridge", "Bluewater", "Cedar", "Maple", "Granite", "Prairie",
	"Lakeside", "Northgate", "Southfield", "Eastwood", "Westbrook", "Highland", "Valley", "Meadow", "Ironwood", "Silverline",
	"Redstone", "Blue Ridge", "Sunrise", "Evergreen", "Fairview", "Crescent", "Keystone", "Liberty", "Heritage", "Magnolia",
	"Palmetto", "Cypress", "Willow", "Hickory", "Sterling", "Beacon", "Pioneer", "Frontier", "Coastal", "Gulf",
	"Tri-County", "Union", "Central", "Metro", "Capitol", "Horizon", "Bayside", "Riverside", "Hilltop", "Stonebridge",
	"Brookside", "Clearwater", "Greenfield", "Copper", "Lone Pine", "Twin Oaks", "Canyon", "Mesa", "Timberline", "Anchor",
}

var nameSecond = [...]string{
	"Supply", "Foods", "Medical", "Logistics", "Hardware", "Dental", "Auto", "Building", "Electric", "Farm",
	"Machine", "Office", "Packaging", "Plumbing", "Printing", "Tool", "Textile", "Marine", "Paper", "Chemical",
	"Lumber", "Steel", "Grocers", "Pharmacy", "Clinic", "Bakery", "Brewing", "Motors", "Health", "Industrial",
	"Equipment", "Analytics", "Software", "Design", "Freight", "Energy", "Water", "Labs", "Outfitters", "Hospitality",
}

var nameSuffix = [...]string{
	"Co.", "Inc.", "LLC", "Group", "Partners", "& Sons", "Corp.", "Company", "Holdings", "Services", "Associates", "Ltd.",
}
