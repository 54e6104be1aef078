package docs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// ErrNoTextLayer is returned (wrapped) for a PDF whose pages carry no text,
// typically a scan.
var ErrNoTextLayer = errors.New("pdf has no text layer (a scanned image?): run OCR first")

// rePageNumber matches page-number lines that PDF extraction yields
// ("3", "- 3 -", "Page 3 of 7", "Səhifə 3", "Стр. 3").
var rePageNumber = regexp.MustCompile(`(?i)^(?:[-–—]\s*)?(?:(?:page|səhifə|страница|стр\.?)\s*)?\d{1,4}(?:\s*(?:of|/|из)\s*\d{1,4})?(?:\s*[-–—])?$`)

// flattenPDF extracts the text of every page as located lines ("page 3,
// line 7"); line numbers run on through the document.
func flattenPDF(data []byte) (lines []srcLine, err error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\r\n "), []byte("%PDF")) {
		return nil, errors.New("not a pdf file (no %PDF header)")
	}
	defer func() {
		if r := recover(); r != nil {
			lines, err = nil, fmt.Errorf("malformed pdf: %v", r)
		}
	}()
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if strings.Contains(strings.ToLower(err.Error()), "encrypt") {
			return nil, fmt.Errorf("pdf is encrypted: save an unprotected copy first: %w", err)
		}
		return nil, fmt.Errorf("open: %w", err)
	}
	pages := rd.NumPage()
	if pages == 0 {
		return nil, errors.New("pdf has no pages")
	}
	n, chars := 0, 0
	for i := 1; i <= pages; i++ {
		p := rd.Page(i)
		if p.V.IsNull() {
			continue
		}
		perPage := 0
		for _, row := range pageRows(p) {
			s := normalizeSpace(row)
			if s == "" {
				continue
			}
			chars += len(s)
			if rePageNumber.MatchString(s) {
				continue
			}
			n++
			perPage++
			lines = append(lines, srcLine{n: n, loc: fmt.Sprintf("page %d, line %d", i, perPage), text: s})
		}
	}
	if chars == 0 {
		return nil, ErrNoTextLayer
	}
	return lines, nil
}

// fontDecoder decodes the strings shown with one font. Fonts with the
// Identity-H encoding and an identity ToUnicode range (<0000> <FFFF>
// <0000>, as fpdf and some other generators write it) are decoded as
// UCS-2 directly: the library follows the letter of the spec there and
// would only increment the last byte, turning ə (U+0259) into "Y".
type fontDecoder func(raw string) string

func decoderFor(p pdf.Page, name string) fontDecoder {
	f := p.Font(name)
	if f.V.Key("Encoding").Name() == "Identity-H" && identityToUnicode(f.V.Key("ToUnicode")) {
		return ucs2
	}
	enc := f.Encoder()
	if enc == nil {
		return func(raw string) string { return raw }
	}
	return enc.Decode
}

func identityToUnicode(v pdf.Value) bool {
	if v.Kind() != pdf.Stream {
		return false
	}
	rc := v.Reader()
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 64<<10))
	if err != nil {
		return false
	}
	s := strings.Join(strings.Fields(string(b)), " ")
	return strings.Contains(s, "1 beginbfrange <0000> <FFFF> <0000> endbfrange") && !strings.Contains(s, "beginbfchar")
}

func ucs2(raw string) string {
	u := make([]uint16, 0, len(raw)/2)
	for i := 0; i+1 < len(raw); i += 2 {
		u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
	}
	return string(utf16.Decode(u))
}

// pageRows walks a page's content stream and returns its text lines in
// content order. A new line starts when the baseline moves by more than
// half the font size; a move to the right on the same line, or a wide gap
// inside a TJ array, becomes a space.
func pageRows(p pdf.Page) []string {
	strm := p.V.Key("Contents")
	if strm.Kind() == pdf.Null {
		return nil
	}
	type mat [6]float64 // a b c d e f
	mul := func(m, n mat) mat {
		return mat{
			m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
			m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
			m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
		}
	}
	ident := mat{1, 0, 0, 1, 0, 0}
	type gstate struct {
		ctm      mat
		tm, tlm  mat
		size, tl float64
		dec      fontDecoder
	}
	g := gstate{ctm: ident, tm: ident, tlm: ident, size: 10, dec: func(r string) string { return r }}
	var stack []gstate
	decoders := map[string]fontDecoder{}

	var rows []string
	var b strings.Builder
	started := false
	var lastY, lastX float64
	moved := false
	show := func(raw string) {
		s := g.dec(raw)
		if s == "" {
			return
		}
		m := mul(g.tm, g.ctm)
		x, y := m[4], m[5]
		size := math.Abs(g.size * m[3])
		if size == 0 {
			size = math.Abs(g.size)
		}
		if size < 1 {
			size = 1
		}
		switch {
		case !started:
		case math.Abs(y-lastY) > 0.5*size:
			rows = append(rows, b.String())
			b.Reset()
		case moved && x > lastX+0.1*size:
			if cur := b.String(); cur != "" && !strings.HasSuffix(cur, " ") && !strings.HasPrefix(s, " ") {
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
		started, moved = true, false
		lastY, lastX = y, x
	}
	num := func(v pdf.Value) float64 { return v.Float64() }
	nextLine := func() {
		g.tlm = mul(mat{1, 0, 0, 1, 0, -g.tl}, g.tlm)
		g.tm = g.tlm
		moved = true
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			stack = append(stack, g)
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if n == 6 {
				g.ctm = mul(mat{num(args[0]), num(args[1]), num(args[2]), num(args[3]), num(args[4]), num(args[5])}, g.ctm)
			}
		case "BT":
			g.tm, g.tlm = ident, ident
			moved = true
		case "Tf":
			if n == 2 {
				name := args[0].Name()
				d, ok := decoders[name]
				if !ok {
					d = decoderFor(p, name)
					decoders[name] = d
				}
				g.dec = d
				g.size = num(args[1])
			}
		case "TL":
			if n == 1 {
				g.tl = num(args[0])
			}
		case "Td", "TD":
			if n == 2 {
				if op == "TD" {
					g.tl = -num(args[1])
				}
				g.tlm = mul(mat{1, 0, 0, 1, num(args[0]), num(args[1])}, g.tlm)
				g.tm = g.tlm
				moved = true
			}
		case "Tm":
			if n == 6 {
				g.tm = mat{num(args[0]), num(args[1]), num(args[2]), num(args[3]), num(args[4]), num(args[5])}
				g.tlm = g.tm
				moved = true
			}
		case "T*":
			nextLine()
		case "'":
			if n == 1 {
				nextLine()
				show(args[0].RawString())
			}
		case "\"":
			if n == 3 {
				nextLine()
				show(args[2].RawString())
			}
		case "Tj":
			if n == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if n == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					x := a.Index(i)
					if x.Kind() == pdf.String {
						show(x.RawString())
					} else if x.Float64() < -250 {
						// a wide negative kerning is a word space
						if cur := b.String(); cur != "" && !strings.HasSuffix(cur, " ") {
							b.WriteByte(' ')
						}
					}
				}
			}
		}
	})
	if started {
		rows = append(rows, b.String())
	}
	return rows
}
