package web

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/roster"
)

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"": "/queue", "/items/3": "/items/3", "//evil.example": "/queue", "https://evil.example": "/queue",
		"/\\evil.example": "/queue", "/queue?kind=match": "/queue?kind=match",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// Nothing embedded points off the machine, and no template has an inline
// script or style (the CSP would refuse them).
func TestAssetsSelfContained(t *testing.T) {
	fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		b, _ := fs.ReadFile(assets, p)
		s := string(b)
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "style=", "onclick", "onload", "javascript:"} {
			if strings.Contains(s, bad) && !(bad == "http://" && strings.HasSuffix(p, ".svg") && strings.Contains(s, "http://www.w3.org/2000/svg")) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		if strings.HasSuffix(p, ".html") && (strings.Contains(s, "<style") || strings.Contains(s, "<script>")) {
			t.Errorf("%s has an inline style or script", p)
		}
		return nil
	})
}

// The legend comes before the bars, so a reader meets it first.
func TestChartLegendFirst(t *testing.T) {
	c := barChart([]string{"ipm@2025-06-01", "cdr@2025-09-01", "registry"}, []tallyRow{
		{Label: "Journalists", Counts: []int{2, 3, 4}}, {Label: "Anti-war", Counts: []int{1, 0, 1}}}, "unified registry")
	if len(c.Legend) != 3 || c.Legend[2].Label != "unified registry" {
		t.Fatalf("legend %+v", c.Legend)
	}
	for _, li := range c.Legend {
		if li.Y >= c.Groups[0].Bars[0].Y {
			t.Errorf("legend %q at y=%v is not above the first bar (y=%v)", li.Label, li.Y, c.Groups[0].Bars[0].Y)
		}
	}
}

// TestHideConflictValues: a conflict on a field the reader may not see
// keeps its title without the values; other conflicts and kinds keep theirs.
func TestHideConflictValues(t *testing.T) {
	birth := audience.New(audience.Coalition, audience.Resolve([]audience.Mark{
		{ID: 1, Action: audience.ActionMark, Column: "birth"}}, audience.Lineage{}))
	tests := []struct {
		policy      audience.Policy
		kind, key   string
		title, want string
	}{
		{birth, roster.KindConflict, "conflict:P-000001:birth_year:1985|1986",
			`P-000001 Həsənov Əli ("Hasanov Ali" in cdr): lists disagree on birth year (cdr: 1986; ipm: 1985)`,
			`P-000001 Həsənov Əli ("Hasanov Ali" in cdr): lists disagree on birth year`},
		{birth, roster.KindConflict, "conflict:P-000001:group:journalist|opposition",
			"P-000001 Həsənov Əli: lists disagree on group (cdr: journalist; ipm: opposition)",
			"P-000001 Həsənov Əli: lists disagree on group (cdr: journalist; ipm: opposition)"},
		{audience.New(audience.Internal, birth.Marks), roster.KindConflict, "conflict:P-000001:birth_year:1985|1986",
			"P-000001 Həsənov Əli: lists disagree on birth year (cdr: 1986; ipm: 1985)",
			"P-000001 Həsənov Əli: lists disagree on birth year (cdr: 1986; ipm: 1985)"},
		{birth, roster.KindMatch, "match:a|b", "Is A (1985) the same person as B?", "Is A (1985) the same person as B?"},
	}
	for _, tt := range tests {
		it := roster.ReviewItem{Kind: tt.kind, Key: tt.key, Title: tt.title}
		hideConflictValues(tt.policy, &it)
		if it.Title != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.key, it.Title, tt.want)
		}
		if strings.Contains(it.Key, "1985") && it.Title != tt.title {
			t.Errorf("%s: the key still holds the values", tt.key)
		}
	}
}
