package names

// splitForm splits the phonemes of a surname into stem and form, and says
// which gender the form marks ("m", "f" or ""). Only the last word counts.
func splitForm(p []rune) (stem []rune, form Form, gender string) {
	start := 0
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == ' ' {
			start = i + 1
			break
		}
	}
	w := p[start:]
	n := len(w)
	cut := func(k int) []rune { return p[:start+n-k] }
	has := func(k int) bool { return n-k >= 2 }
	// -zadə / -zade / -zada / -zadeh
	if n >= 6 && w[n-1] == 'h' && isZade(w[n-5:n-1]) {
		return cut(5), FormZade, ""
	}
	if n >= 5 && isZade(w[n-4:]) {
		return cut(4), FormZade, ""
	}
	// -oğlu / -oglu / -ogly / -oghlu
	if n >= 6 && isO(w[n-4]) && isG(w[n-3]) && w[n-2] == 'l' && (isU(w[n-1]) || isI(w[n-1])) {
		return cut(4), FormOglu, "m"
	}
	// -qızı / -gizi / -kyzy / -гызы
	if n >= 6 && isG(w[n-4]) && isI(w[n-3]) && w[n-2] == 'z' && isI(w[n-1]) {
		return cut(4), FormQizi, "f"
	}
	// -ova -eva -yeva / -ov -ev -yev
	fem := n >= 4 && w[n-1] == 'a'
	m := n
	if fem {
		m = n - 1
	}
	if m >= 4 && w[m-1] == 'v' && (w[m-2] == 'o' || w[m-2] == 'e') {
		k := n - m + 2
		if w[m-2] == 'e' && w[m-3] == 'y' && has(k+1) {
			k++
		}
		if has(k) {
			g := "m"
			if fem {
				g = "f"
			}
			return cut(k), FormOv, g
		}
	}
	// -lı / -li / -lu / -lü / -ly (stem of three sounds or more)
	if n >= 5 && w[n-2] == 'l' && (isI(w[n-1]) || isU(w[n-1])) {
		return cut(2), FormLi, ""
	}
	return p, FormNone, ""
}

func isZade(w []rune) bool {
	return len(w) == 4 && w[0] == 'z' && isA(w[1]) && w[2] == 'd' && (isA(w[3]) || w[3] == 'e')
}

func isG(r rune) bool { return r == 'q' || r == 'g' || r == 'ğ' || r == 'k' || r == gamma }

// formWords names surname forms for explanations.
var formWords = map[Form]string{
	FormOv: "-ov", FormLi: "-li", FormZade: "-zadə", FormOglu: "-oğlu", FormQizi: "-qızı", FormNone: "no suffix",
}
