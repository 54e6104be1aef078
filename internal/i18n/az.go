package i18n

// az is the Azerbaijani catalog.
var az = map[string]string{
	// Formats.
	"format.date":    "%d %s %d",
	"format.percent": "%s%%",
	"format.range":   "%s–%s",
	"format.list":    ", ",
	"month.1":        "yanvar",
	"month.2":        "fevral",
	"month.3":        "mart",
	"month.4":        "aprel",
	"month.5":        "may",
	"month.6":        "iyun",
	"month.7":        "iyul",
	"month.8":        "avqust",
	"month.9":        "sentyabr",
	"month.10":       "oktyabr",
	"month.11":       "noyabr",
	"month.12":       "dekabr",

	// Languages, as each calls itself (the same in every catalog).
	"lang.az": "Azərbaycanca",
	"lang.ru": "Русский",
	"lang.en": "English",

	// The registry's groups.
	"group.religious":        "dindarlar",
	"group.opposition":       "müxalifət və vətəndaş cəmiyyəti fəalları",
	"group.journalist":       "jurnalistlər və blogerlər",
	"group.rights-defender":  "hüquq müdafiəçiləri",
	"group.ethnic-minority":  "etnik azlıq fəalları",
	"group.anti-war":         "müharibə əleyhdarı fəallar",
	"group.deported-refugee": "xaricdən deportasiya edilmiş siyasi qaçqınlar",
	"group.life-sentence":    "ömürlük həbs cəzası çəkənlər",
	"group.soyudlu-case":     "Söyüdlü işi",
	"group.imishli-protest":  "İmişli etirazı",
	"group.tartar-case":      "Tərtər işi",
	"group.ganja-case":       "Gəncə işi",
	"group.unknown":          "qrupu məlum deyil",
	"group.total":            "bütün qruplar",

	// Counting persons.
	"persons.other": "%d nəfər",

	// The estimate: refusals.
	"estimate.refused.too-few-lists": "Qiymətləndirmə yoxdur: içində kimsə olan ən azı iki siyahı lazımdır.",
	"estimate.refused.isolated-list": "Qiymətləndirmə yoxdur: %s siyahısının digər siyahılarla heç bir ortaq şəxsi yoxdur, ona görə də onların kəsişməsi bu siyahının neçə nəfəri buraxdığı barədə heç nə demir.",
	"estimate.refused.no-model":      "Qiymətləndirmə yoxdur: bu cədvələ heç bir model uyğunlaşdırıla bilmir (siyahıların çox birləşməsində heç kim yoxdur).",

	// The estimate: warnings.
	"estimate.warn.empty-list":       "%s siyahısında burada heç kim yoxdur; nəzərə alınmır.",
	"estimate.warn.copy":             "%[1]s siyahısı %[2]s siyahısının surətinə bənzəyir: onun %[4]d nəfərindən %[3]d nəfəri %[2]s siyahısında da var — bu, %[2]s siyahısının qalanları arasındakı əhatəsi ilə izah olunandan xeyli çoxdur. Surət müstəqil siyahı deyil, ona görə də %[1]s %[2]s siyahısının bir hissəsi kimi sayılır.",
	"estimate.warn.editions-span":    "Siyahıların buraxılışları %d ayı əhatə edir (%s – %s). Metod bütün bu müddətdə həbsdə eyni insanların olduğunu fərz edir; arada baş verən azadetmələr və yeni həbslər qiymətləndirməni təhrif edir.",
	"estimate.warn.two-lists":        "Cəmi iki siyahı var: onların insanları bir-birindən asılı olmadan tapıb-tapmadığını yoxlamaq mümkün deyil, qiymətləndirmə isə bunu fərz edir.",
	"estimate.warn.small-overlap":    "%s və %s siyahılarının cəmi %d ortaq şəxsi var: onların kəsişməsinə söykənən modellər etibarsızdır.",
	"estimate.warn.few-persons":      "Siyahılarda cəmi %d nəfər var: qiymətləndirmə təxminidir.",
	"estimate.warn.unbounded":        "Məlumatlar ümumi say üçün yuxarı hədd vermir: siyahılar bir-biri ilə çox az kəsişir.",
	"estimate.warn.model-sensitive":  "Məlumatları demək olar ki, eyni dərəcədə yaxşı təsvir edən modellər (AIC ən yaxşıdan 2 daxilində) %s ilə %s arasında ümumi say verir: modelin seçimi əhəmiyyətlidir.",
	"estimate.warn.models-left-out":  "Bu cədvəldə qiymətləndirməsi olmayan modellər nəzərə alınmadı: %d (cəmi %d modeldən); heç kimin olmadığı siyahı birləşmələri var.",
	"estimate.warn.links":            "Qeyri-müəyyən uyğunluqlar (yoxlama zonasında %d cüt) intervalın eninin %s hissəsini yaradır: onları yoxlama növbəsində həll etmək intervalı daraldar.",
	"estimate.warn.bootstrap-failed": "Qiymətləndirmə verməyən butstrep seçmələri: %d (cəmi %d); interval qalanlarına əsaslanır.",

	// The estimate: what the method assumes.
	"estimate.assume.closed":     "Qapalı populyasiya: siyahıların əhatə etdiyi bütün dövr ərzində həbsdə eyni insanlar olub. Bu müddətdə azad edilənlər və ya həbs olunanlar bütün dövr ərzində oradaymış kimi sayılır.",
	"estimate.assume.matching":   "Uyğunlaşdırma düzgündür: eyni şəxs onun olduğu hər siyahıda tanınır, fərqli insanlar isə bir-birindən ayrı saxlanılır. Əlaqə təhlili hələ yoxlamada olan cütlərin nəyi dəyişdiyini ölçür.",
	"estimate.assume.dependence": "Siyahılar bir-birindən cüt-cüt asılı ola bilər (bir təşkilat işlər barədə digərindən öyrənir və ya iki təşkilat bir-birinin işindən yayınır) və model bunu kəsişmədən ölçür. Heç bir siyahının görmədiyini ölçmək olmaz: bəzi insanları hər siyahının tapması çətindirsə, qiymətləndirmə aşağı çıxır.",
	"estimate.assume.copies":     "Heç bir siyahı digərini sadəcə köçürmür. Köçürən siyahı kəsişməsindən tanınır, adı çəkilir və köçürdüyü siyahının bir hissəsi kimi sayılır.",

	// The estimate: names of things.
	"estimate.criterion.aic":      "AIC",
	"estimate.criterion.bic":      "BIC",
	"estimate.criterion.stepwise": "Beyls–Hesket–Silvermanın addım-addım qaydası",
	"estimate.interval.profile":   "profil həqiqətəbənzərliyi",
	"estimate.interval.bootstrap": "parametrik butstrep",
	"estimate.model.independence": "müstəqillik",
}
