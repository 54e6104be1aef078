package report

import (
	"math"
	"strings"

	"github.com/roster-coalition/roster/internal/estimate"
	"github.com/roster-coalition/roster/internal/i18n"
)

// The estimate in words, shared by the report and `roster estimate`.

// Refusal says why there is no estimate.
func Refusal(p *i18n.Printer, r *estimate.Refusal) string {
	switch r.Code {
	case estimate.RefuseIsolated:
		return p.T("estimate.refused."+r.Code, strings.Join(r.Lists, p.T("format.list")))
	case estimate.RefuseFewPersons:
		return p.T("estimate.refused."+r.Code, r.Count, estimate.MinPersons)
	}
	return p.T("estimate.refused." + r.Code)
}

// Warning says what a warning of the estimate means.
func Warning(p *i18n.Printer, w estimate.Warning) string {
	key := "estimate.warn." + w.Code
	switch w.Code {
	case estimate.WarnEmptyList:
		return p.T(key, w.Lists[0])
	case estimate.WarnCopy:
		return p.T(key, w.Lists[0], w.Lists[1], w.Count, w.Of)
	case estimate.WarnSpan:
		return p.T(key, w.Months, p.Date(w.From), p.Date(w.To))
	case estimate.WarnSmallOverlap:
		return p.T(key, w.Lists[0], w.Lists[1], w.Count)
	case estimate.WarnFewPersons:
		return p.T(key, w.Count)
	case estimate.WarnSensitive:
		return p.T(key, Count(p, w.Low), Count(p, w.High))
	case estimate.WarnLeftOut, estimate.WarnBootFailed:
		return p.T(key, w.Count, w.Of)
	case estimate.WarnLinks:
		return p.T(key, w.Count, p.Percent(w.Share))
	default:
		return p.T(key)
	}
}

// Assumptions are the keys of what the method assumes, in order.
var Assumptions = []string{"estimate.assume.closed", "estimate.assume.matching", "estimate.assume.dependence", "estimate.assume.copies"}

// ModelName names a model: its interactions ("ipm×mhm + azk×fpc"), or
// independence in the printer's language.
func ModelName(p *i18n.Printer, c estimate.Candidate) string {
	if len(c.Interactions) == 0 {
		return p.T("estimate.model.independence")
	}
	return c.Name
}

// Count writes an estimate as whole persons ("∞" when unbounded).
func Count(p *i18n.Printer, x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "∞"
	case math.IsNaN(x):
		return "?"
	}
	return p.Int(int(math.Round(x)))
}
