package names

func parse(s string) Name                              { return Name{Raw: s} }
func fromParts(surname, given, patronymic string) Name { return Name{Raw: surname + " " + given} }
func compare(a, b Name) Comparison                     { return Comparison{} }

// BlockingKeys returns a few short coarse keys.
func (n Name) BlockingKeys() []string { return nil }
func ToLatin(s string) string          { return s }
func ToEnglish(azLatin string) string  { return azLatin }
func ToRussian(azLatin string) string  { return azLatin }
func Display(n Name) string            { return n.Raw }
