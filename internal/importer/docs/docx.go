package docs

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// maxPartSize bounds the decompressed size of one part of an OOXML package
// (a zip bomb guard).
const maxPartSize = 200 << 20

// flattenDOCX reads a Word document: body paragraphs become located lines
// ("paragraph 42"), with list numbers computed from numbering.xml put in
// front of the text the way Word shows them; tables become grids.
func flattenDOCX(data []byte) ([]srcLine, [][][]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
			return nil, nil, errors.New("this is a legacy .doc (or encrypted) Word file, not .docx: save it as .docx")
		}
		return nil, nil, fmt.Errorf("not a docx (zip) file: %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	main := "word/document.xml"
	if rels, err := readPart(files, "_rels/.rels"); err == nil {
		if t := officeDocumentTarget(rels); t != "" {
			main = strings.TrimPrefix(t, "/")
		}
	}
	doc, err := readPart(files, main)
	if err != nil {
		return nil, nil, fmt.Errorf("no main document part %s: %w", main, err)
	}
	dir := path.Dir(main)
	nb := &numbering{abstract: map[string]*abstractNum{}, nums: map[string]*numInst{}, counters: map[string][]int{}}
	if b, err := readPart(files, path.Join(dir, "numbering.xml")); err == nil {
		if err := nb.parse(b); err != nil {
			return nil, nil, fmt.Errorf("numbering.xml: %w", err)
		}
	}
	st := map[string]*styleDef{}
	if b, err := readPart(files, path.Join(dir, "styles.xml")); err == nil {
		if st, err = parseStyles(b); err != nil {
			return nil, nil, fmt.Errorf("styles.xml: %w", err)
		}
	}
	w := &docxWalker{num: nb, styles: st}
	if err := w.walk(doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", main, err)
	}
	return w.lines, w.tables, nil
}

func readPart(files map[string]*zip.File, name string) ([]byte, error) {
	f, ok := files[name]
	if !ok {
		return nil, fmt.Errorf("part %s not found", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxPartSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPartSize {
		return nil, fmt.Errorf("part %s is larger than %d bytes", name, maxPartSize)
	}
	return b, nil
}

func officeDocumentTarget(rels []byte) string {
	var r struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(rels, &r) != nil {
		return ""
	}
	for _, x := range r.Rel {
		if strings.HasSuffix(x.Type, "/officeDocument") {
			return x.Target
		}
	}
	return ""
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// onOff reads a WordprocessingML toggle (<w:b/>, <w:b w:val="0"/>).
func onOff(e xml.StartElement) bool {
	v, ok := attr(e, "val")
	return !ok || (v != "0" && v != "false" && v != "off")
}

// ---- numbering.xml ----

type numLevel struct {
	fmt     string
	text    string
	start   int
	restart int // lvlRestart: -1 default (restart after any higher level), 0 never, n after level n-1
}

type abstractNum struct{ levels [9]*numLevel }

type numInst struct {
	abstract string
	starts   map[int]int // startOverride by level
	levels   map[int]*numLevel
	used     bool
}

type numbering struct {
	abstract map[string]*abstractNum
	nums     map[string]*numInst
	counters map[string][]int // by abstractNum id: the current value per level, 0 = not started
}

func (nb *numbering) parse(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	var curAbs *abstractNum
	var curNum *numInst
	var curLvl *numLevel
	overrideLvl := -1
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				id, _ := attr(t, "abstractNumId")
				curAbs = &abstractNum{}
				nb.abstract[id] = curAbs
			case "num":
				id, _ := attr(t, "numId")
				curNum = &numInst{starts: map[int]int{}, levels: map[int]*numLevel{}}
				nb.nums[id] = curNum
			case "abstractNumId":
				if curNum != nil {
					curNum.abstract, _ = attr(t, "val")
				}
			case "lvlOverride":
				v, _ := attr(t, "ilvl")
				overrideLvl, _ = strconv.Atoi(v)
			case "startOverride":
				if curNum != nil && overrideLvl >= 0 {
					v, _ := attr(t, "val")
					n, _ := strconv.Atoi(v)
					curNum.starts[overrideLvl] = n
				}
			case "lvl":
				v, _ := attr(t, "ilvl")
				i, err := strconv.Atoi(v)
				if err != nil || i < 0 || i > 8 {
					curLvl = nil
					continue
				}
				curLvl = &numLevel{fmt: "decimal", start: 1, restart: -1}
				if curNum != nil && overrideLvl >= 0 {
					curNum.levels[i] = curLvl
				} else if curAbs != nil {
					curAbs.levels[i] = curLvl
				}
			case "start":
				if curLvl != nil {
					v, _ := attr(t, "val")
					curLvl.start, _ = strconv.Atoi(v)
				}
			case "numFmt":
				if curLvl != nil {
					curLvl.fmt, _ = attr(t, "val")
				}
			case "lvlText":
				if curLvl != nil {
					curLvl.text, _ = attr(t, "val")
				}
			case "lvlRestart":
				if curLvl != nil {
					v, _ := attr(t, "val")
					curLvl.restart, _ = strconv.Atoi(v)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				curAbs = nil
			case "num":
				curNum = nil
			case "lvlOverride":
				overrideLvl = -1
			case "lvl":
				curLvl = nil
			}
		}
	}
}

// label advances the counters of list numId at level ilvl and returns the
// number as Word shows it ("17.", "a)", "Group No. 2 –"); "" when the
// paragraph is not numbered.
func (nb *numbering) label(numID string, ilvl int) string {
	if numID == "" || numID == "0" || ilvl < 0 || ilvl > 8 {
		return ""
	}
	inst, ok := nb.nums[numID]
	if !ok {
		return ""
	}
	abs := nb.abstract[inst.abstract]
	lvl := func(i int) *numLevel {
		if l, ok := inst.levels[i]; ok {
			return l
		}
		if abs != nil && abs.levels[i] != nil {
			return abs.levels[i]
		}
		return &numLevel{fmt: "decimal", start: 1, restart: -1, text: "%" + strconv.Itoa(i+1) + "."}
	}
	key := inst.abstract
	if abs == nil {
		key = "num:" + numID
	}
	c := nb.counters[key]
	if c == nil {
		c = make([]int, 9)
		nb.counters[key] = c
	}
	if !inst.used {
		inst.used = true
		for i, s := range inst.starts {
			if i >= 0 && i < 9 {
				c[i] = s - 1
				for j := i + 1; j < 9; j++ {
					c[j] = 0
				}
			}
		}
	}
	cur := lvl(ilvl)
	if c[ilvl] == 0 {
		c[ilvl] = cur.start
	} else {
		c[ilvl]++
	}
	for j := ilvl + 1; j < 9; j++ {
		if r := lvl(j).restart; r < 0 || (r > 0 && ilvl <= r-1) {
			c[j] = 0
		}
	}
	if cur.fmt == "bullet" {
		return "•"
	}
	if cur.fmt == "none" {
		return ""
	}
	text := cur.text
	if text == "" {
		text = "%" + strconv.Itoa(ilvl+1) + "."
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			k := int(text[i+1] - '1')
			v := c[k]
			if v == 0 {
				v = lvl(k).start
			}
			b.WriteString(formatNumber(v, lvl(k).fmt))
			i++
			continue
		}
		b.WriteByte(text[i])
	}
	return strings.TrimSpace(b.String())
}

func formatNumber(n int, f string) string {
	switch f {
	case "lowerLetter", "upperLetter":
		if n < 1 {
			return strconv.Itoa(n)
		}
		// Word repeats the letter: a..z, aa..zz
		s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
		if f == "upperLetter" {
			s = strings.ToUpper(s)
		}
		return s
	case "lowerRoman":
		return strings.ToLower(roman(n))
	case "upperRoman":
		return roman(n)
	case "decimalZero":
		if n < 10 && n >= 0 {
			return "0" + strconv.Itoa(n)
		}
		return strconv.Itoa(n)
	case "russianLower", "russianUpper":
		const abc = "абвгдежзиклмнопрстуфхцчшщэюя"
		r := []rune(abc)
		if n < 1 {
			return strconv.Itoa(n)
		}
		s := strings.Repeat(string(r[(n-1)%len(r)]), (n-1)/len(r)+1)
		if f == "russianUpper" {
			s = strings.ToUpper(s)
		}
		return s
	default:
		return strconv.Itoa(n)
	}
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// ---- styles.xml ----

type styleDef struct {
	name, basedOn string
	numID         string
	ilvl          int
	outline       int // 0-based outline level, -1 none
	bold          bool
}

func parseStyles(b []byte) (map[string]*styleDef, error) {
	out := map[string]*styleDef{}
	d := xml.NewDecoder(bytes.NewReader(b))
	var cur *styleDef
	inPPr, inRPr := false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				id, _ := attr(t, "styleId")
				cur = &styleDef{outline: -1, ilvl: 0}
				out[id] = cur
			case "pPr":
				inPPr = true
			case "rPr":
				inRPr = true
			}
			if cur == nil {
				continue
			}
			v, _ := attr(t, "val")
			switch t.Name.Local {
			case "name":
				cur.name = v
			case "basedOn":
				cur.basedOn = v
			case "numId":
				if inPPr {
					cur.numID = v
				}
			case "ilvl":
				if inPPr {
					cur.ilvl, _ = strconv.Atoi(v)
				}
			case "outlineLvl":
				if inPPr {
					cur.outline, _ = strconv.Atoi(v)
				}
			case "b":
				if inRPr {
					cur.bold = onOff(t)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "style":
				cur = nil
			case "pPr":
				inPPr = false
			case "rPr":
				inRPr = false
			}
		}
	}
}

// resolve follows basedOn for the numbering, outline level, heading name
// and boldness of a paragraph style.
func resolveStyle(styles map[string]*styleDef, id string) (numID string, ilvl, hint int, bold bool) {
	hint = 0
	seen := map[string]bool{}
	numSet, boldSet := false, false
	for id != "" && !seen[id] {
		seen[id] = true
		s, ok := styles[id]
		if !ok {
			break
		}
		if !numSet && s.numID != "" {
			numID, ilvl, numSet = s.numID, s.ilvl, true
		}
		if hint == 0 {
			if h := headingHintFromName(s.name); h > 0 {
				hint = h
			} else if s.outline >= 0 && s.outline < 6 {
				hint = s.outline + 1
			}
		}
		if !boldSet && s.bold {
			bold, boldSet = true, true
		}
		id = s.basedOn
	}
	if hint == 0 {
		hint = headingHintFromName(id)
	}
	return
}

func headingHintFromName(name string) int {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	switch {
	case n == "title":
		return 1
	case strings.HasPrefix(n, "heading") && len(n) == len("heading")+1 && n[len(n)-1] >= '1' && n[len(n)-1] <= '6':
		return int(n[len(n)-1] - '0')
	}
	return 0
}

// ---- document.xml ----

type docxPara struct {
	text                           strings.Builder
	numID, style                   string
	ilvl                           int
	outline                        int
	hasNum                         bool
	boldRuns, plainRuns            int
	inPPr, inRPr, runBold, runText bool
}

type docxTable struct {
	rows [][]string
	row  []string
	cell []string
}

type docxWalker struct {
	num    *numbering
	styles map[string]*styleDef
	lines  []srcLine
	tables [][][]string
	stack  []*docxTable
	para   int // body paragraph counter
}

func (w *docxWalker) walk(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	var p *docxPara
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				if p == nil {
					p = &docxPara{outline: -1, ilvl: 0}
				}
			case "pPr":
				if p != nil {
					p.inPPr = true
				}
			case "rPr":
				if p != nil {
					p.inRPr = true
				}
			case "pStyle":
				if p != nil && p.inPPr {
					p.style, _ = attr(t, "val")
				}
			case "numId":
				if p != nil && p.inPPr {
					p.numID, _ = attr(t, "val")
					p.hasNum = true
				}
			case "ilvl":
				if p != nil && p.inPPr {
					v, _ := attr(t, "val")
					p.ilvl, _ = strconv.Atoi(v)
				}
			case "outlineLvl":
				if p != nil && p.inPPr {
					v, _ := attr(t, "val")
					p.outline, _ = strconv.Atoi(v)
				}
			case "r":
				if p != nil {
					p.runBold, p.runText = false, false
				}
			case "b":
				if p != nil && p.inRPr && !p.inPPr {
					p.runBold = onOff(t)
				}
			case "t":
				if p != nil {
					var s string
					if err := d.DecodeElement(&s, &t); err != nil {
						return err
					}
					p.text.WriteString(s)
					if strings.TrimSpace(s) != "" {
						p.runText = true
					}
				}
			case "tab", "ptab":
				if p != nil && !p.inPPr {
					p.text.WriteByte('\t')
				}
			case "br", "cr":
				if p != nil {
					p.text.WriteByte('\n')
				}
			case "noBreakHyphen":
				if p != nil {
					p.text.WriteByte('-')
				}
			case "delText", "instrText", "drawing", "pict", "object", "AlternateContent", "footnoteReference", "endnoteReference", "commentReference":
				if err := d.Skip(); err != nil {
					return err
				}
			case "tbl":
				w.stack = append(w.stack, &docxTable{})
			case "tr":
				if tb := w.top(); tb != nil {
					tb.row = nil
				}
			case "tc":
				if tb := w.top(); tb != nil {
					tb.cell = nil
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "pPr":
				if p != nil {
					p.inPPr = false
				}
			case "rPr":
				if p != nil {
					p.inRPr = false
				}
			case "r":
				if p != nil && p.runText {
					if p.runBold {
						p.boldRuns++
					} else {
						p.plainRuns++
					}
				}
			case "p":
				if p != nil {
					w.endPara(p)
					p = nil
				}
			case "tc":
				if tb := w.top(); tb != nil {
					tb.row = append(tb.row, normalizeSpace(strings.Join(tb.cell, " ")))
					tb.cell = nil
				}
			case "tr":
				if tb := w.top(); tb != nil {
					tb.rows = append(tb.rows, tb.row)
					tb.row = nil
				}
			case "tbl":
				if tb := w.top(); tb != nil {
					w.stack = w.stack[:len(w.stack)-1]
					if parent := w.top(); parent != nil {
						// a nested table: its text goes into the enclosing cell
						for _, r := range tb.rows {
							parent.cell = append(parent.cell, strings.Join(r, " "))
						}
					} else if nonEmpty(tb.rows) {
						w.tables = append(w.tables, tb.rows)
					}
				}
			}
		}
	}
}

func nonEmpty(rows [][]string) bool {
	for _, r := range rows {
		for _, c := range r {
			if c != "" {
				return true
			}
		}
	}
	return false
}

func (w *docxWalker) top() *docxTable {
	if len(w.stack) == 0 {
		return nil
	}
	return w.stack[len(w.stack)-1]
}

func (w *docxWalker) endPara(p *docxPara) {
	numID, ilvl := p.numID, p.ilvl
	sNum, sIlvl, hint, styleBold := resolveStyle(w.styles, p.style)
	if !p.hasNum && sNum != "" {
		numID, ilvl = sNum, sIlvl
	}
	if p.outline >= 0 && p.outline < 6 && hint == 0 {
		hint = p.outline + 1
	}
	label := w.num.label(numID, ilvl)
	text := p.text.String()
	if tb := w.top(); tb != nil {
		s := strings.TrimSpace(text)
		if label != "" && s != "" {
			s = label + " " + s
		} else if label != "" {
			s = label
		}
		if s != "" {
			tb.cell = append(tb.cell, s)
		}
		return
	}
	w.para++
	if hint == 0 && p.boldRuns > 0 && (p.plainRuns == 0 || styleBold) {
		hint = hintBold
	}
	parts := strings.Split(text, "\n")
	for k, part := range parts {
		loc := fmt.Sprintf("paragraph %d", w.para)
		if k > 0 {
			loc = fmt.Sprintf("paragraph %d, line %d", w.para, k+1)
		}
		s := strings.TrimSpace(part)
		h := 0
		if k == 0 {
			h = hint
			if label != "" && label != "•" {
				s = label + " " + s
			} else if label == "•" && s != "" {
				s = "• " + s
			}
		}
		w.lines = append(w.lines, srcLine{n: w.para, loc: loc, text: s, hint: h})
	}
}
