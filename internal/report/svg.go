package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/roster-coalition/roster/internal/estimate"
	"github.com/roster-coalition/roster/internal/i18n"
)

// The charts are drawn here as SVG, inline in the page: no script, no
// font or image to fetch. Coordinates are rounded to one decimal so that
// the same input gives the same bytes.

// svg collects the elements of one chart.
type svg struct {
	b strings.Builder
}

func (s *svg) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// text writes a text element; anchor is start, middle or end.
func (s *svg) text(x, y float64, anchor, class, text string) {
	s.f(`<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, template.HTMLEscapeString(text))
}

func (s *svg) html(width, height float64, label string) template.HTML {
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" role="img" aria-label="%s">`,
		width, height, width, template.HTMLEscapeString(label)) + s.b.String() + `</svg>`)
}

// maxColumns is the most combinations the overlap chart draws.
const maxColumns = 40

// upset draws the overlap of the lists as an UpSet chart: a column per
// combination of lists that holds someone (largest first) with a bar for
// its persons, the dots below saying which lists it is, and a bar per list
// on the left for the list's size.
func upset(t estimate.Table, p *i18n.Printer) template.HTML {
	cells := t.Cells()
	if len(cells) == 0 || t.K() == 0 {
		return ""
	}
	if len(cells) > maxColumns {
		cells = cells[:maxColumns]
	}
	k := t.K()
	labelW := 12.0
	for _, l := range t.Lists {
		labelW = math.Max(labelW, 7.5*float64(len([]rune(l)))+12)
	}
	const (
		setW = 130.0 // the list-size bars
		colW = 22.0
		rowH = 22.0
		topH = 170.0 // the combination bars
		gap  = 12.0
	)
	x0 := setW + labelW
	// Wide enough for the columns and for the axis title above them.
	width := x0 + math.Max(float64(len(cells))*colW, 6.5*float64(len([]rune(p.T("report.overlap.axis.combination"))))) + 10
	height := topH + gap + float64(k)*rowH + 34
	maxCell, maxSet := 0, 0
	for _, c := range cells {
		maxCell = max(maxCell, c.Count)
	}
	sizes := make([]int, k)
	for i := range k {
		sizes[i] = t.ListTotal(i)
		maxSet = max(maxSet, sizes[i])
	}
	var s svg
	s.text(x0, 14, "start", "axis", p.T("report.overlap.axis.combination"))
	// Combination bars with their counts.
	barTop := 26.0
	for n, c := range cells {
		h := (topH - barTop) * float64(c.Count) / float64(maxCell)
		x := x0 + float64(n)*colW
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar"/>`, x+3, topH-h, colW-6, h)
		s.text(x+colW/2, topH-h-3, "middle", "num", p.Int(c.Count))
	}
	// The matrix: a band per list, a dot per combination and list.
	my := topH + gap
	for i := range k {
		y := my + float64(i)*rowH
		if i%2 == 0 {
			s.f(`<rect x="0" y="%.1f" width="%.1f" height="%.1f" class="band"/>`, y, width, rowH)
		}
		s.text(setW+6, y+rowH/2+4, "start", "label", t.Lists[i])
		w := (setW - 44) * float64(sizes[i]) / float64(maxSet)
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="setbar"/>`, setW-4-w, y+4, w, rowH-8)
		s.text(setW-8-w, y+rowH/2+4, "end", "num", p.Int(sizes[i]))
	}
	for n, c := range cells {
		cx := x0 + float64(n)*colW + colW/2
		first, last := -1, -1
		for i := range k {
			if c.Pattern.Has(i) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if last > first {
			s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="link"/>`, cx, my+float64(first)*rowH+rowH/2, cx,
				my+float64(last)*rowH+rowH/2)
		}
		for i := range k {
			class := "dot off"
			if c.Pattern.Has(i) {
				class = "dot on"
			}
			s.f(`<circle cx="%.1f" cy="%.1f" r="5.5" class="%s"/>`, cx, my+float64(i)*rowH+rowH/2, class)
		}
	}
	s.text(setW-4, my+float64(k)*rowH+20, "end", "axis", p.T("report.overlap.axis.list"))
	return s.html(width, height, p.T("report.overlap.title"))
}

// estimateBar draws the total as a bar: the persons on the lists, the
// estimated persons on none, and the interval as a whisker.
func estimateBar(r estimate.Result, p *i18n.Printer) template.HTML {
	const (
		width  = 680.0
		left   = 10.0
		right  = 30.0
		top    = 34.0
		barH   = 26.0
		height = 104.0
	)
	upper := r.Upper
	unbounded := math.IsInf(upper, 1) || math.IsNaN(upper)
	if unbounded {
		upper = r.Estimate * 1.5
	}
	scale := (width - left - right) / (upper * 1.04)
	x := func(v float64) float64 { return left + v*scale }
	var s svg
	n := float64(r.Observed)
	s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="listed"/>`, x(0), top, x(n)-x(0), barH)
	if r.Estimate > n {
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="unseen"/>`, x(n), top, x(r.Estimate)-x(n), barH)
	}
	// The interval.
	wy := top + barH/2
	s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="whisker"/>`, x(r.Lower), wy, x(upper), wy)
	s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="whisker"/>`, x(r.Lower), wy-9, x(r.Lower), wy+9)
	if !unbounded {
		s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="whisker"/>`, x(upper), wy-9, x(upper), wy+9)
	} else {
		s.f(`<path d="M%.1f %.1f l8 -5 v10 z" class="arrow"/>`, x(upper)+8, wy)
	}
	s.f(`<circle cx="%.1f" cy="%.1f" r="4.5" class="point"/>`, x(r.Estimate), wy)
	s.text(x(0), top-10, "start", "label", p.T("report.estimate.chart.listed", p.Int(r.Observed)))
	s.text(x(r.Estimate), top-10, "middle", "label strong", p.T("report.estimate.chart.total", Count(p, r.Estimate)))
	s.text(x(r.Lower), top+barH+20, "middle", "num", Count(p, r.Lower))
	s.text(x(upper), top+barH+20, "middle", "num", Count(p, r.Upper))
	s.text(width-right, height-6, "end", "axis", p.T("report.estimate.chart.legend"))
	return s.html(width, height, p.T("report.estimate.title"))
}

// forest draws each model of the model table as its estimate (a dot) and
// interval (a line), numbered as the table numbers them.
func forest(r estimate.Result, p *i18n.Printer) template.HTML {
	if len(r.Models) < 2 {
		return ""
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range r.Models {
		for _, v := range []float64{c.Lower, c.Total, c.Upper} {
			if !math.IsInf(v, 0) && !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	const (
		width = 680.0
		left  = 40.0
		right = 20.0
		rowH  = 20.0
		top   = 10.0
	)
	height := top + float64(len(r.Models))*rowH + 34
	x := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return left + (v-lo)/(hi-lo)*(width-left-right)
	}
	var s svg
	bottom := top + float64(len(r.Models))*rowH
	for v := lo; v <= hi+step/2; v += step {
		s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/>`, x(v), top, x(v), bottom)
		s.text(x(v), bottom+16, "middle", "num", p.Int(int(math.Round(v))))
	}
	for n, c := range r.Models {
		y := top + float64(n)*rowH + rowH/2
		class := ""
		if c.Chosen {
			class = " chosen"
		}
		s.text(left-10, y+4, "end", "num"+class, fmt.Sprint(n+1))
		if !math.IsNaN(c.Lower) {
			s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="ci%s"/>`, x(c.Lower), y, x(c.Upper), y, class)
		}
		s.f(`<circle cx="%.1f" cy="%.1f" r="4" class="point%s"/>`, x(c.Total), y, class)
	}
	s.text(width-right, height-2, "end", "axis", p.T("report.estimate.forest.axis"))
	return s.html(width, height, p.T("report.estimate.models.title"))
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			return math.Max(1, m*pow)
		}
	}
	return math.Max(1, 10*pow)
}
