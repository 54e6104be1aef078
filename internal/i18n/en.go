package i18n

// en is the English catalog.
var en = map[string]string{
	// Formats.
	"format.date":    "%d %s %d",
	"format.percent": "%s%%",
	"format.range":   "%s–%s",
	"format.list":    ", ",
	"month.1":        "January",
	"month.2":        "February",
	"month.3":        "March",
	"month.4":        "April",
	"month.5":        "May",
	"month.6":        "June",
	"month.7":        "July",
	"month.8":        "August",
	"month.9":        "September",
	"month.10":       "October",
	"month.11":       "November",
	"month.12":       "December",

	// Languages, as each calls itself (the same in every catalog).
	"lang.az": "Azərbaycanca",
	"lang.ru": "Русский",
	"lang.en": "English",

	// The registry's groups.
	"group.religious":        "religious believers",
	"group.opposition":       "opposition and civil-society activists",
	"group.journalist":       "journalists and bloggers",
	"group.rights-defender":  "human rights defenders",
	"group.ethnic-minority":  "ethnic-minority activists",
	"group.anti-war":         "anti-war activists",
	"group.deported-refugee": "political refugees deported from abroad",
	"group.life-sentence":    "people serving life sentences",
	"group.soyudlu-case":     "the Soyudlu case",
	"group.imishli-protest":  "the Imishli protest",
	"group.tartar-case":      "the Tartar case",
	"group.ganja-case":       "the Ganja case",
	"group.unknown":          "group not known",
	"group.total":            "all groups",

	// Counting persons.
	"persons.one":   "%d person",
	"persons.other": "%d persons",

	// The estimate: refusals.
	"estimate.refused.too-few-lists": "No estimate: it needs at least two lists that hold someone.",
	"estimate.refused.isolated-list": "No estimate: %s shares nobody with the other lists, so their overlap says nothing about how many it misses.",
	"estimate.refused.no-model":      "No estimate: no model can be fitted to this table (too many combinations of lists hold nobody).",

	// The estimate: warnings.
	"estimate.warn.empty-list":       "%s lists nobody here and is left out.",
	"estimate.warn.copy":             "%[1]s looks like a copy of %[2]s: %[3]d of its %[4]d persons are also on %[2]s, far more than %[2]s's reach among everyone else explains. A copy is not an independent list, so %[1]s is counted as part of %[2]s.",
	"estimate.warn.editions-span":    "The editions span %d months (%s to %s). The method assumes the same people were imprisoned throughout; releases and new arrests in between bend the estimate.",
	"estimate.warn.two-lists":        "Only two lists: whether they find people independently of each other cannot be checked, and the estimate assumes they do.",
	"estimate.warn.small-overlap":    "%s and %s share only %d persons: models that lean on their overlap are fragile.",
	"estimate.warn.few-persons":      "Only %d persons are listed: the estimate is rough.",
	"estimate.warn.unbounded":        "The data put no upper limit on the total: the lists overlap too little.",
	"estimate.warn.model-sensitive":  "Models that fit almost as well (AIC within 2 of the best) give totals from %s to %s: the choice of model matters.",
	"estimate.warn.models-left-out":  "%d of %d models have no estimate with this table (combinations of lists that hold nobody) and were left out.",
	"estimate.warn.links":            "Uncertain matches (%d pairs in the review band) cause %s of the interval's width: settling them in the review queue narrows it.",
	"estimate.warn.bootstrap-failed": "%d of %d bootstrap draws gave no estimate; the interval rests on the others.",

	// The estimate: what the method assumes.
	"estimate.assume.closed":     "A closed population: the same people were imprisoned over the whole period the lists cover. People released or arrested in between are counted as if they had been there all along.",
	"estimate.assume.matching":   "The matching is right: the same person is recognised on every list that holds them, and different people are kept apart. The link analysis measures what the pairs still in review change.",
	"estimate.assume.dependence": "The lists may depend on each other two at a time (one organisation learning of cases from another, or two avoiding each other's work), and the model measures that from the overlap. What no list sees cannot be measured: if some people are hard for every list to find, the estimate is too low.",
	"estimate.assume.copies":     "No list simply copies another. A list that does is recognised from its overlap, named, and counted as part of the list it copies.",

	// The estimate: names of things.
	"estimate.criterion.aic":      "AIC",
	"estimate.criterion.bic":      "BIC",
	"estimate.criterion.stepwise": "the Bales–Hesketh–Silverman stepwise rule",
	"estimate.interval.profile":   "profile likelihood",
	"estimate.interval.bootstrap": "parametric bootstrap",
	"estimate.model.independence": "independence",
}
