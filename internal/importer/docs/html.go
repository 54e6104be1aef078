package docs

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// flattenHTML reads an HTML page: block elements become located lines
// ("paragraph 12", counting blocks), items of ordered lists get their
// number in front, headings h1-h6 and paragraphs that are all
// <strong>/<b> are marked as headings, tables become grids.
func flattenHTML(data []byte) ([]srcLine, [][][]string, error) {
	r, err := charset.NewReader(bytes.NewReader(data), "text/html")
	if err != nil {
		return nil, nil, fmt.Errorf("detect charset: %w", err)
	}
	root, err := html.Parse(r)
	if err != nil {
		return nil, nil, fmt.Errorf("parse: %w", err)
	}
	h := &htmlWalker{}
	h.walk(root)
	h.flush()
	return h.lines, h.tables, nil
}

type htmlWalker struct {
	lines  []srcLine
	tables [][][]string
	buf    strings.Builder
	prefix string // list number waiting for the next text
	hint   int
	block  int
	// bold tracking for the current block
	boldText, plainText int
	boldDepth           int
}

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Blockquote: true, atom.Pre: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Tr: true, atom.Table: true, atom.Hr: true,
	atom.Main: true, atom.Aside: true, atom.Nav: true, atom.Figure: true, atom.Figcaption: true, atom.Address: true, atom.Center: true,
}

func (h *htmlWalker) flush() {
	text := normalizeSpace(h.buf.String())
	h.buf.Reset()
	hint := h.hint
	if hint == 0 && h.boldText > 0 && h.plainText == 0 {
		hint = hintBold
	}
	h.boldText, h.plainText, h.hint = 0, 0, 0
	if text == "" {
		return
	}
	if h.prefix != "" {
		text = h.prefix + " " + text
		h.prefix = ""
	}
	h.block++
	h.lines = append(h.lines, srcLine{n: h.block, loc: fmt.Sprintf("paragraph %d", h.block), text: text, hint: hint})
}

func (h *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if strings.TrimSpace(n.Data) != "" {
			if h.boldDepth > 0 {
				h.boldText++
			} else {
				h.plainText++
			}
		}
		h.buf.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Iframe, atom.Svg:
			return
		case atom.Br:
			h.flush()
			return
		case atom.Table:
			h.flush()
			if g := htmlTable(n); len(g) > 0 {
				h.tables = append(h.tables, g)
			}
			return
		case atom.Ol:
			h.flush()
			h.walkList(n)
			return
		}
	}
	block := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
	if block {
		h.flush()
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			h.hint = int(n.Data[1] - '0')
		}
	}
	bold := n.Type == html.ElementNode && (n.DataAtom == atom.Strong || n.DataAtom == atom.B)
	if bold {
		h.boldDepth++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		h.walk(c)
	}
	if bold {
		h.boldDepth--
	}
	if block {
		hint := h.hint
		h.flush()
		_ = hint
	}
}

// walkList numbers the <li> children of an <ol> (start, type, value
// attributes honoured).
func (h *htmlWalker) walkList(ol *html.Node) {
	n := 1
	if v, err := strconv.Atoi(getAttr(ol, "start")); err == nil {
		n = v
	}
	typ := getAttr(ol, "type")
	reversed := hasAttr(ol, "reversed")
	for c := ol.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			if c.Type == html.ElementNode {
				h.walk(c)
			}
			continue
		}
		if v, err := strconv.Atoi(getAttr(c, "value")); err == nil {
			n = v
		}
		f := "decimal"
		switch typ {
		case "a":
			f = "lowerLetter"
		case "A":
			f = "upperLetter"
		case "i":
			f = "lowerRoman"
		case "I":
			f = "upperRoman"
		}
		h.flush()
		h.prefix = formatNumber(n, f) + "."
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			h.walk(cc)
		}
		h.flush()
		h.prefix = ""
		if reversed {
			n--
		} else {
			n++
		}
	}
}

func getAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// htmlTable turns a <table> into a grid of trimmed cell texts. colspan
// repeats a cell's text so that columns stay aligned; nested tables are
// flattened into their cell.
func htmlTable(t *html.Node) [][]string {
	var rows [][]string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				var row []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						txt := normalizeSpace(nodeText(td))
						span, _ := strconv.Atoi(getAttr(td, "colspan"))
						if span < 1 || span > 50 {
							span = 1
						}
						for k := 0; k < span; k++ {
							row = append(row, txt)
						}
					}
				}
				if len(row) > 0 {
					rows = append(rows, row)
				}
			case atom.Table:
				// a nested table directly inside is not a row source
			default:
				visit(c)
			}
		}
	}
	visit(t)
	if !nonEmpty(rows) {
		return nil
	}
	return rows
}

// nodeText is the text of n with block boundaries and <br> as spaces.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style:
				return
			case atom.Br:
				b.WriteByte(' ')
				return
			}
			if blockAtoms[n.DataAtom] {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
		if n.Type == html.ElementNode && blockAtoms[n.DataAtom] {
			b.WriteByte(' ')
		}
	}
	f(n)
	return b.String()
}
