package names

import "testing"

// Names as real lists print them: initials, titles, an unmarked father's
// name, a surname left out. All the people here are made up.

func TestParsePartialNames(t *testing.T) {
	tests := []struct {
		in                      string
		surname, given, father  string
		givenInitial, patrInitl bool
	}{
		{"R.Qasımlı", "Qasımlı", "R.", "", true, false},
		{"R. Gasimli", "Gasimli", "R.", "", true, false},
		{"A.B.Gasimli", "Gasimli", "A.", "B.", true, true},
		{"Gasimli Rauf M.", "Gasimli", "Rauf", "M.", false, true},
		{"Dr. Rauf Gasimli", "Gasimli", "Rauf", "", false, false},
		{"journalist Rauf Gasimli", "Gasimli", "Rauf", "", false, false},
		{"журналист Рауф Гасымлы", "Qasımlı", "Rauf", "", false, false},
		{"Rauf Vidadi Gasimli", "Gasimli", "Rauf", "Vidadi", false, false},
		{"Qasımov Rauf Vidadi", "Qasımov", "Rauf", "Vidadi", false, false},
		{"Gasimli", "Gasimli", "", "", false, false},
		{"Qasımlı Xanım", "Qasımlı", "Xanım", "", false, false}, // the name Xanım, not "Mrs"
		{"Nigar xanım Qasımlı", "Qasımlı", "Nigar", "", false, false},
	}
	for _, tt := range tests {
		n := Parse(tt.in)
		if n.Surname != tt.surname || n.Given != tt.given || n.Patronymic != tt.father ||
			n.GivenInitial != tt.givenInitial || n.PatronymicInitial != tt.patrInitl {
			t.Errorf("Parse(%q) = surname %q, given %q (initial %v), father %q (initial %v); want %q, %q (%v), %q (%v)",
				tt.in, n.Surname, n.Given, n.GivenInitial, n.Patronymic, n.PatronymicInitial,
				tt.surname, tt.given, tt.givenInitial, tt.father, tt.patrInitl)
		}
	}
}

func TestCompareInitials(t *testing.T) {
	tests := []struct {
		a, b     string
		part     string // which part holds the initial
		relation string
	}{
		{"R. Gasimli", "Rauf Gasimli", "given", "initial"},
		{"R. Gasimli", "Рауф Гасымлы", "given", "initial"},
		{"H. Gasimli", "Гусейн Гасымлы", "given", "initial"}, // h went through Russian Г
		{"J. Gasimli", "Cavid Gasimli", "given", "initial"},  // c written j
		{"T. Gasimli", "Rauf Gasimli", "given", "different"},
		{"Gasimli Rauf V.", "Rauf Vidadi oglu Gasimli", "patronymic", "initial"},
		{"Gasimli Rauf S.", "Rauf Vidadi oglu Gasimli", "patronymic", "different"},
	}
	for _, tt := range tests {
		c := Compare(Parse(tt.a), Parse(tt.b))
		ps := c.Given
		if tt.part == "patronymic" {
			ps = c.Patronymic
		}
		if ps.Relation != tt.relation {
			t.Errorf("Compare(%q, %q): %s %s, want %s (rules %v)", tt.a, tt.b, tt.part, ps.Relation, tt.relation, ps.Rules)
		}
		if tt.relation == "initial" && !c.Same {
			t.Errorf("Compare(%q, %q): an agreeing initial should leave the names the same (score %.2f)", tt.a, tt.b, c.Score)
		}
	}
}

// One slip no spelling rule explains is counted, so the matcher can grade
// it apart from a different name.
func TestCompareCountsEdits(t *testing.T) {
	tests := []struct {
		a, b  string
		edits int
	}{
		{"Rauf Gasimli", "Rauf Qasımlı", 0},    // route variants only
		{"Rauf Tagiyev", "Rauf Tayiyev", 1},    // a letter changed
		{"Rauf Tahirov", "Rauf Tairov", 1},     // h dropped between vowels
		{"Rauf Nasirov", "Rauf Nasirova", 0},   // feminine form: not a slip
		{"Rauf Babayev", "Rauf Babaeya", 1},    // misspelt ending: a typo, not another form
		{"Rauf Kelemov", "Rauf Kemelov", 2},    // two letters trade places
		{"Rauf Gasimli", "Rauf Mustafayev", 7}, // different names
	}
	for _, tt := range tests {
		c := Compare(Parse(tt.a), Parse(tt.b))
		if got := c.Surname.Edits; (tt.edits < 7 && got != tt.edits) || (tt.edits == 7 && got < 3) {
			t.Errorf("Compare(%q, %q): surname edits %d (%s), want %d", tt.a, tt.b, got, c.Surname.Relation, tt.edits)
		}
	}
}

// A list that prints the given and the father's name and leaves the
// surname out: the second word may be the other side's father's name.
func TestCompareFatherReading(t *testing.T) {
	c := Compare(Parse("Rauf Vidadi"), Parse("Rauf Vidadi oglu Gasimli"))
	if !c.FatherRead || c.Patronymic.Relation != "equal" || !c.Surname.Missing || !c.Same {
		t.Errorf("father reading: %+v", c)
	}
	// A word with a surname form stays a surname.
	c = Compare(Parse("Rauf Vidadiyev"), Parse("Rauf Vidadi oglu Gasimli"))
	if c.FatherRead {
		t.Errorf("Vidadiyev read as a father's name: %+v", c)
	}
	// Both sides with a father's name: nothing to read.
	c = Compare(Parse("Rauf Elchin oglu Vidadi"), Parse("Rauf Vidadi oglu Gasimli"))
	if c.FatherRead {
		t.Errorf("father reading with both fathers printed: %+v", c)
	}
}

// A masculine given name and its feminine form are two people.
func TestGenderedGivenNames(t *testing.T) {
	for _, tt := range [][2]string{
		{"Zəki Qasımlı", "Zəkiyyə Qasımlı"},
		{"Zaki Gasimli", "Zakiya Gasimli"},
		{"Заки Гасымлы", "Закия Гасымлы"},
		{"Zaki Gasimli", "Zakiia Gasimli"},
	} {
		c := Compare(Parse(tt[0]), Parse(tt[1]))
		if c.Given.Relation != "different" || c.Same {
			t.Errorf("Compare(%q, %q): given %s (%v), same %v; want two people", tt[0], tt[1], c.Given.Relation, c.Given.Rules, c.Same)
		}
	}
	// A feminine name written with and without its last vowel stays one.
	c := Compare(Parse("Gülnar Qasımlı"), Parse("Gülnarə Qasımlı"))
	if !c.Same {
		t.Errorf("Gülnar and Gülnarə: %+v", c.Given)
	}
}
