package docs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/roster-coalition/roster/internal/roster"
)

// srcLine is one located line handed to the parser by a format reader.
type srcLine struct {
	n    int    // Line number (paragraph, global line)
	loc  string // Location
	text string // text as read (Word/HTML list numbers already prefixed)
	hint int    // markup heading level: 1-6 (h1-h6, Heading 1-6, Markdown #), 7 bold/strong paragraph, 0 none
}

const hintBold = 7

var (
	reMDHeading = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	reBoldLine  = regexp.MustCompile(`^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$`)
	reTotal     = regexp.MustCompile(`(?i)^(?:grand\s+total|in\s+total|total(?:\s+number)?(?:\s+of\s+\p{L}+(?:\s+\p{L}+)?)?|cəmi|ümumi(?:\s+say[ıi])?|всего|итого)\s*[:：\-–—]?\s*(\d{1,5})(?:\s*$|[\s.,;)].*$)`)
	reGroupWord = regexp.MustCompile(`(?i)^(?:group|qrup|группа|section|bölmə|раздел|part|hissə|часть|category|kateqoriya|категория|chapter|fəsil|глава)\s*(?:no\.?|nr\.?|№|#)?\s*(\d{1,3}|[IVXLC]{1,6}|\p{L})\s*(?:[.:)]\s*|\s+[-–—]\s*|\s+|$)(.*)$`)
	reRoman     = regexp.MustCompile(`^([IVXLC]{1,7})\s*[.)]\s+(\S.*)$`)
	reUpperLet  = regexp.MustCompile(`^(\p{Lu})\s*[.)]\s+(\S.*)$`)
	reLowerLet  = regexp.MustCompile(`^(\p{Ll})\s*[.)]\s+(\S.*)$`)
	reNumbered  = regexp.MustCompile(`^(?:№\s*)?(\d{1,4})\s*[.)]\s*(.*)$`)
	reBullet    = regexp.MustCompile(`^[•·▪◦●■‣\-–—*]\s+(\S.*)$`)
	reCount     = regexp.MustCompile(`(?i)\s*[(\[]\s*(\d{1,3})\s*(?:persons?|people|prisoners?|names?|nəfər|şəxs|человека?|чел\.?)?\s*[)\]]\s*[.:]?\s*$`)
	reLeadSep   = regexp.MustCompile(`^[\s\-–—:.,;]+`)
	reNumPrefix = regexp.MustCompile(`^(?:№\s*)?\d{1,4}\s*[.)]\s*`)
)

type entryBuilder struct {
	e         roster.RawEntry
	raw       []string
	rest      []string // title text after the name, and its continuation lines
	narrative []string // narrative label values and continuation lines
	extra     []string // labelled lines of no known field kept as written
	aka       string
	labelled  bool
	blank     bool // a blank line came after the entry's last line
	lastField roster.Field
	wrapped   int // lines appended to the last labelled value
}

// maxWrapped bounds how many lines a labelled value may wrap onto; further
// lines go to the narrative (and keep the parser linear).
const maxWrapped = 8

type parser struct {
	doc      *Document
	lines    []srcLine
	cur      *entryBuilder
	g1, g2   int // current group and sub-case heading indexes, -1 if none
	g1markup int
	totals   []Line
	// headingLoc holds the Location of each heading, by index.
	headingLoc []string
}

// parseLines is the text-list parser every format shares.
func parseLines(in []srcLine) *Document {
	p := &parser{doc: &Document{}, g1: -1, g2: -1}
	p.lines = make([]srcLine, len(in))
	for i, l := range in {
		l.text = normalizeSpace(l.text)
		if m := reMDHeading.FindStringSubmatch(l.text); m != nil {
			l.hint = len(m[1])
			l.text = m[2]
		}
		if m := reBoldLine.FindStringSubmatch(l.text); m != nil {
			if _, isLabel := matchLabel(l.text); !isLabel {
				if l.hint == 0 {
					l.hint = hintBold
				}
				l.text = m[1]
			}
		}
		l.text = strings.TrimSpace(strings.NewReplacer("**", "", "__", "").Replace(l.text))
		p.lines[i] = l
	}
	p.collectPipeTables()
	for i := range p.lines {
		p.line(i)
	}
	p.closeEntry()
	p.report()
	return p.doc
}

// normalizeSpace turns no-break and odd spaces into spaces, drops
// zero-width characters and control characters, collapses runs of blanks.
func normalizeSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
			continue
		case unicode.IsControl(r) || r == utf8.RuneError:
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// collectPipeTables takes Markdown pipe tables out of the line stream.
func (p *parser) collectPipeTables() {
	var grid [][]string
	var members []int
	flush := func() {
		if len(grid) >= 2 {
			p.doc.Tables = append(p.doc.Tables, grid)
			for _, i := range members {
				p.lines[i].text = ""
			}
		}
		grid, members = nil, nil
	}
	for i, l := range p.lines {
		t := l.text
		if len(t) >= 2 && strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") {
			members = append(members, i)
			cells := strings.Split(strings.Trim(t, "|"), "|")
			sep := true
			for j := range cells {
				cells[j] = strings.TrimSpace(cells[j])
				if strings.Trim(cells[j], ":- ") != "" {
					sep = false
				}
			}
			if !sep {
				grid = append(grid, cells)
			}
			continue
		}
		flush()
	}
	flush()
}

func (p *parser) next(i int) (srcLine, bool) {
	for j := i + 1; j < len(p.lines); j++ {
		if p.lines[j].text != "" {
			return p.lines[j], true
		}
	}
	return srcLine{}, false
}

func (p *parser) line(i int) {
	l := p.lines[i]
	t := l.text
	if t == "" {
		if p.cur != nil {
			p.cur.blank = true
		}
		return
	}
	if reTotal.MatchString(t) {
		p.closeEntry()
		p.totals = append(p.totals, Line{l.n, l.loc, t})
		return
	}
	// labelled lines belong to the current person block
	if ls, ok := matchLabel(t); ok {
		if ls[0].field == roster.FieldName && (p.cur == nil || p.cur.labelled || p.cur.e.Fields[roster.FieldName] != "") {
			if name, _, _ := splitName(ls[0].value); name != "" {
				p.startEntry(l, "", ls[0].value)
				p.cur.labelled = true
				for _, x := range ls[1:] {
					p.addLabelled(x, t)
				}
				return
			}
		}
		if p.cur != nil {
			p.cur.raw = append(p.cur.raw, l.text)
			p.cur.wrapped = 0
			p.cur.labelled = true
			p.cur.blank = false
			for _, x := range ls {
				p.addLabelled(x, t)
			}
			return
		}
	}
	if level, label, count, ok := p.heading(i); ok {
		p.addHeading(l, level, label, count)
		return
	}
	if m := reNumbered.FindStringSubmatch(t); m != nil && numberedOK(t, m) {
		if name, _, _ := splitName(m[2]); name != "" {
			p.startEntry(l, m[1], m[2])
			return
		}
	}
	if m := reBullet.FindStringSubmatch(t); m != nil && (p.cur == nil || !p.cur.labelled) {
		if name, _, _ := splitName(m[1]); len(strings.Fields(name)) >= 2 {
			p.startEntry(l, "", m[1])
			return
		}
	}
	if p.personTitle(i) {
		p.startEntry(l, "", t)
		return
	}
	if c := p.cur; c != nil && (c.labelled || !c.blank) {
		c.raw = append(c.raw, l.text)
		c.blank = false
		switch {
		case c.labelled && c.lastField != "" && c.lastField != fieldNarrative && c.wrapped < maxWrapped:
			// a value wrapped onto the next line
			c.e.Fields[c.lastField] = strings.TrimSpace(c.e.Fields[c.lastField] + " " + t)
			c.wrapped++
		case c.labelled:
			c.narrative = append(c.narrative, t)
		default:
			c.rest = append(c.rest, t)
		}
		return
	}
	p.doc.Unplaced = append(p.doc.Unplaced, Line{l.n, l.loc, t})
}

// numberedOK tells a numbered entry line from a date or number that starts
// a sentence ("12.03.2024-cü ildə ...", "2024. ..."): the number must be
// followed by a space or a letter.
func numberedOK(t string, m []string) bool {
	if m[2] == "" {
		return false
	}
	loc := reNumPrefix.FindStringIndex(t)
	if loc == nil {
		return false
	}
	prefix := t[:loc[1]]
	if strings.HasSuffix(prefix, " ") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(m[2])
	return unicode.IsLetter(r) || r == '"' || r == '«' || r == '“'
}

// personTitle reports whether line i is an unnumbered person-block title: a
// bare name followed by a labelled line.
func (p *parser) personTitle(i int) bool {
	t := p.lines[i].text
	name, _, rest := splitName(t)
	if name == "" || strings.TrimSpace(rest) != "" {
		return false
	}
	if n := len(strings.Fields(name)); n < 2 || n > 6 {
		return false
	}
	nx, ok := p.next(i)
	if !ok {
		return false
	}
	ls, ok := matchLabel(nx.text)
	return ok && ls[0].field != roster.FieldName
}

// heading classifies line i as a group (1) or sub-case (2) heading.
func (p *parser) heading(i int) (level int, label string, count int, ok bool) {
	l := p.lines[i]
	t := l.text
	count = -1
	body, cnt := stripCount(t)
	if cnt >= 0 {
		count = cnt
	}
	if m := reGroupWord.FindStringSubmatch(body); m != nil {
		return 1, cleanLabel(m[2]), count, true
	}
	if m := reNumbered.FindStringSubmatch(body); m != nil && numberedOK(body, m) {
		// "1. Journalists and bloggers (27)": a numbered heading has a count
		// and no other digits, or is marked up as a heading and is no name
		if cnt >= 0 && !strings.ContainsAny(m[2], "0123456789,") {
			return 1, cleanLabel(m[2]), count, true
		}
		if l.hint > 0 && l.hint < hintBold && !nameOnly(m[2]) {
			return p.markupLevel(l.hint), cleanLabel(m[2]), count, true
		}
		return 0, "", -1, false
	}
	if m := reLowerLet.FindStringSubmatch(body); m != nil && !isLabelish(m[2]) {
		return 2, cleanLabel(m[2]), count, true
	}
	if m := reRoman.FindStringSubmatch(body); m != nil && !isLabelish(m[2]) {
		p.g1markup = l.hint
		return 1, cleanLabel(m[2]), count, true
	}
	if m := reUpperLet.FindStringSubmatch(body); m != nil && !isLabelish(m[2]) && !nameOnly(m[2]) {
		p.g1markup = l.hint
		return 1, cleanLabel(m[2]), count, true
	}
	words := len(strings.Fields(body))
	if words == 0 || words > 14 || len(body) > 160 {
		return 0, "", -1, false
	}
	nx, hasNext := p.next(i)
	if hasNext {
		if _, isLabel := matchLabel(nx.text); isLabel && nameOnly(body) {
			return 0, "", -1, false // a person-block title
		}
	}
	if l.hint > 0 {
		return p.markupLevel(l.hint), cleanLabel(body), count, true
	}
	// a plain line: a heading when short, not a sentence, and followed by
	// an entry or a sub-case heading
	if !hasNext || strings.HasSuffix(body, ".") || strings.HasSuffix(body, ",") || strings.HasSuffix(body, ";") || words > 10 {
		return 0, "", -1, false
	}
	if p.cur != nil && p.cur.labelled && strings.ContainsAny(body, "0123456789") {
		return 0, "", -1, false
	}
	r, _ := utf8.DecodeRuneInString(body)
	if !unicode.IsUpper(r) && !strings.ContainsRune(`"«“'`, r) {
		return 0, "", -1, false
	}
	nt := nx.text
	if m := reNumbered.FindStringSubmatch(nt); m != nil && numberedOK(nt, m) {
		return p.markupLevel(0), cleanLabel(body), count, true
	}
	if m := reLowerLet.FindStringSubmatch(nt); m != nil {
		return p.markupLevel(0), cleanLabel(body), count, true
	}
	if m := reBullet.FindStringSubmatch(nt); m != nil {
		return p.markupLevel(0), cleanLabel(body), count, true
	}
	return 0, "", -1, false
}

// markupLevel decides the level of an unpatterned heading from its markup
// level: deeper than the current group's markup means a sub-case, unless
// the group has no entries yet (then the earlier heading was a title).
func (p *parser) markupLevel(m int) int {
	if p.g1 < 0 {
		p.g1markup = m
		return 1
	}
	g := p.doc.Headings[p.g1]
	if g.Entries == 0 && p.g2 < 0 {
		p.g1markup = m
		return 1
	}
	if p.g1markup > 0 && m > p.g1markup {
		return 2
	}
	p.g1markup = m
	return 1
}

func isLabelish(s string) bool {
	_, ok := matchLabel(s)
	return ok
}

// stripCount removes a trailing announced count "(27)" / "(27 nəfər)".
func stripCount(s string) (string, int) {
	m := reCount.FindStringSubmatchIndex(s)
	if m == nil {
		return s, -1
	}
	n, err := strconv.Atoi(s[m[2]:m[3]])
	if err != nil {
		return s, -1
	}
	return strings.TrimSpace(s[:m[0]]), n
}

// cleanLabel trims separators around a heading label.
func cleanLabel(s string) string {
	s, _ = stripCount(s)
	s = reLeadSep.ReplaceAllString(s, "")
	return strings.TrimSpace(strings.TrimRight(s, " :–—-"))
}

func (p *parser) addHeading(l srcLine, level int, label string, count int) {
	p.closeEntry()
	p.doc.Headings = append(p.doc.Headings, Heading{Line: l.n, Text: l.text, Label: label, Level: level, Count: count})
	idx := len(p.doc.Headings) - 1
	if level == 1 {
		p.g1, p.g2 = idx, -1
		if p.g1markup == 0 && l.hint > 0 {
			p.g1markup = l.hint
		}
	} else {
		p.g2 = idx
	}
	p.headingLoc = append(p.headingLoc, l.loc)
}

func (p *parser) startEntry(l srcLine, ref, text string) {
	p.closeEntry()
	name, aka, rest := splitName(text)
	e := roster.RawEntry{
		Row:      len(p.doc.Entries) + 1,
		Line:     l.n,
		Location: l.loc,
		Fields:   map[roster.Field]string{roster.FieldName: name},
	}
	if ref != "" {
		e.Fields[roster.FieldRef] = ref
	}
	if p.g1 >= 0 {
		e.Fields[roster.FieldGroup] = p.doc.Headings[p.g1].Label
		p.doc.Headings[p.g1].Entries++
	}
	if p.g2 >= 0 {
		e.Fields[roster.FieldCase] = p.doc.Headings[p.g2].Label
		p.doc.Headings[p.g2].Entries++
	}
	p.cur = &entryBuilder{e: e, raw: []string{l.text}, rest: []string{rest}, aka: aka}
}

func (p *parser) addLabelled(x labelled, line string) {
	c := p.cur
	c.lastField = x.field
	switch x.field {
	case fieldNarrative:
		if x.value != "" {
			c.narrative = append(c.narrative, x.value)
		}
	case roster.FieldName:
		if c.e.Fields[roster.FieldName] == "" {
			name, aka, rest := splitName(x.value)
			c.e.Fields[roster.FieldName] = name
			c.aka = aka
			c.rest = append(c.rest, rest)
		} else {
			c.extra = append(c.extra, x.label+": "+x.value)
		}
	default:
		if x.value == "" {
			return
		}
		old, ok := c.e.Fields[x.field]
		switch {
		case ok && old == x.value:
			// the same value again ("Həbs tarixi: 02.10.2021" and "həbs edilib 02.10.2021")
		case ok && old != "" && x.field != roster.FieldGroup && x.field != roster.FieldCase:
			c.e.Fields[x.field] = old + "; " + x.value
		default:
			c.e.Fields[x.field] = x.value
		}
	}
}

// closeEntry finishes the current entry: the other name written with the
// name joins the aliases, facts from the narrative fill the fields no
// label gave, and the rest goes to the notes.
func (p *parser) closeEntry() {
	c := p.cur
	if c == nil {
		return
	}
	p.cur = nil
	c.wrapped = 0
	if c.aka != "" {
		if a := c.e.Fields[roster.FieldAlias]; a != "" {
			c.e.Fields[roster.FieldAlias] = c.aka + "; " + a
		} else {
			c.e.Fields[roster.FieldAlias] = c.aka
		}
	}
	var notes []string
	rest := strings.TrimSpace(reLeadSep.ReplaceAllString(strings.Join(c.rest, " "), ""))
	if rest != "" {
		f := findFacts(rest)
		p.fill(c, f)
		notes = append(notes, leftover(rest, f.spans)...)
	}
	if len(c.narrative) > 0 {
		text := strings.Join(c.narrative, " ")
		p.fill(c, findFacts(text))
		notes = append(notes, text)
	}
	notes = append(notes, c.extra...)
	if len(notes) > 0 {
		c.e.Fields[roster.FieldNotes] = strings.Join(notes, "; ")
	}
	c.e.Raw = strings.Join(c.raw, "\n")
	p.doc.Entries = append(p.doc.Entries, c.e)
}

func (p *parser) fill(c *entryBuilder, f facts) {
	for k, v := range f.values {
		if c.e.Fields[k] == "" && v != "" {
			c.e.Fields[k] = v
		}
	}
}

// report adds notes on heading counts and document totals.
func (p *parser) report() {
	d := p.doc
	sum1, n1, sum2, n2 := 0, 0, 0, 0
	for i, h := range d.Headings {
		if h.Count < 0 {
			continue
		}
		if h.Level == 1 {
			sum1 += h.Count
			n1++
		} else {
			sum2 += h.Count
			n2++
		}
		if h.Count != h.Entries {
			d.Notes = append(d.Notes, fmt.Sprintf("heading %q (%s) announces %d entries, %d follow", h.Text, p.headingLoc[i], h.Count, h.Entries))
		}
	}
	for _, t := range p.totals {
		m := reTotal.FindStringSubmatch(t.Text)
		total, _ := strconv.Atoi(m[1])
		if total != len(d.Entries) {
			d.Notes = append(d.Notes, fmt.Sprintf("document total %q (%s) announces %d entries, %d found", t.Text, t.Location, total, len(d.Entries)))
		}
		sum, n := sum1, n1
		if n == 0 {
			sum, n = sum2, n2
		}
		if n > 0 && sum != total {
			d.Notes = append(d.Notes, fmt.Sprintf("heading counts add up to %d, document total %q (%s) says %d", sum, t.Text, t.Location, total))
		}
	}
}
