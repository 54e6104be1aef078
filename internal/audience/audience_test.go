package audience

import (
	"reflect"
	"testing"

	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Audience
		ok   bool
	}{
		{"", Coalition, true}, {"public", Public, true}, {"Coalition", Coalition, true}, {"INTERNAL", Internal, true},
		{"press", "", false}, {"publik", "", false},
	} {
		got, err := Parse(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestViewerCannotAskForInternal is the rule the web UI's roles rest on.
func TestViewerCannotAskForInternal(t *testing.T) {
	for _, tc := range []struct {
		role string
		a    Audience
		ok   bool
	}{
		{RoleViewer, Public, true}, {RoleViewer, Coalition, true}, {RoleViewer, Internal, false},
		{"", Internal, false}, {"guest", Internal, false},
		{RoleAnalyst, Internal, true}, {RoleAdmin, Internal, true}, {RoleAnalyst, Public, true},
	} {
		err := Allow(tc.role, tc.a)
		if (err == nil) != tc.ok {
			t.Errorf("Allow(%q, %s) = %v; want ok=%v", tc.role, tc.a, err, tc.ok)
		}
		if err != nil && roster.ErrorCode(err) != roster.EFORBIDDEN {
			t.Errorf("Allow(%q, %s): code %s, want %s", tc.role, tc.a, roster.ErrorCode(err), roster.EFORBIDDEN)
		}
	}
}

func mark(id int64, action, person string) Mark {
	return Mark{ID: id, Action: action, PersonID: person, Reason: "family asked", By: "alice"}
}

func privateIDs(ms Marks) []string {
	var out []string
	for _, pp := range ms.Persons() {
		out = append(out, pp.ID+"/"+pp.Via)
	}
	return out
}

func TestResolvePersons(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  []Mark
		lin  Lineage
		want []string
	}{
		{"none", nil, Lineage{}, nil},
		{"marked", []Mark{mark(1, ActionMark, "P-000002")}, Lineage{}, []string{"P-000002/"}},
		{"unmarked", []Mark{mark(1, ActionMark, "P-000002"), mark(2, ActionUnmark, "P-000002")}, Lineage{}, nil},
		{"marked again", []Mark{mark(1, ActionMark, "P-000002"), mark(2, ActionUnmark, "P-000002"), mark(3, ActionMark, "P-000002")},
			Lineage{}, []string{"P-000002/"}},
		{"follows a merge", []Mark{mark(1, ActionMark, "P-000005")},
			Lineage{Redirect: map[string]string{"P-000005": "P-000002"}}, []string{"P-000002/merged"}},
		{"follows two merges", []Mark{mark(1, ActionMark, "P-000009")},
			Lineage{Redirect: map[string]string{"P-000009": "P-000005", "P-000005": "P-000002"}}, []string{"P-000002/merged"}},
		{"survivor unmarked after the mark", []Mark{mark(1, ActionMark, "P-000005"), mark(2, ActionUnmark, "P-000002")},
			Lineage{Redirect: map[string]string{"P-000005": "P-000002"}}, nil},
		// An unmark of the survivor made before the merged-in ID was
		// marked does not clear that mark.
		{"survivor unmarked before the mark", []Mark{mark(1, ActionUnmark, "P-000002"), mark(2, ActionMark, "P-000005")},
			Lineage{Redirect: map[string]string{"P-000005": "P-000002"}}, []string{"P-000002/merged"}},
		{"an old unmark of another ID does not clear a mark", []Mark{mark(1, ActionMark, "P-000005"), mark(2, ActionUnmark, "P-000005"), mark(3, ActionMark, "P-000002")},
			Lineage{Redirect: map[string]string{"P-000005": "P-000002"}}, []string{"P-000002/"}},
		{"follows a split", []Mark{mark(1, ActionMark, "P-000002")},
			Lineage{SplitFrom: map[string][]string{"P-000007": {"P-000002"}}}, []string{"P-000002/", "P-000007/split"}},
		{"split of a split", []Mark{mark(1, ActionMark, "P-000002")},
			Lineage{SplitFrom: map[string][]string{"P-000008": {"P-000007"}, "P-000007": {"P-000002"}}},
			[]string{"P-000002/", "P-000007/split", "P-000008/split"}},
		{"split part unmarked", []Mark{mark(1, ActionMark, "P-000002"), mark(2, ActionUnmark, "P-000007")},
			Lineage{SplitFrom: map[string][]string{"P-000007": {"P-000002"}}}, []string{"P-000002/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := privateIDs(Resolve(tc.log, tc.lin))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("private = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestResolveColumns(t *testing.T) {
	log := []Mark{
		{ID: 1, Action: ActionMark, Source: "ipm", Column: "Phone"},
		{ID: 2, Action: ActionMark, Column: "notes"},
		{ID: 3, Action: ActionMark, Source: "cdr", Column: "Lawyer"},
		{ID: 4, Action: ActionUnmark, Source: "cdr", Column: " lawyer "},
	}
	cols := Resolve(log, Lineage{}).Columns()
	if len(cols) != 2 || cols[0].Column != "notes" || cols[0].Field != roster.FieldNotes || cols[1].Column != "Phone" || cols[1].Field != "" {
		t.Errorf("columns = %+v; want notes (every source, field notes) and Phone (ipm, no field)", cols)
	}
}

func TestCheckColumn(t *testing.T) {
	for _, c := range []string{"", "name", "Surname", "given", "patronymic", "ref"} {
		if CheckColumn(c) == nil {
			t.Errorf("CheckColumn(%q) = nil; want an error", c)
		}
	}
	for _, c := range []string{"notes", "Phone", "lawyer", "birth", "case"} {
		if err := CheckColumn(c); err != nil {
			t.Errorf("CheckColumn(%q) = %v", c, err)
		}
	}
}

func sampleRecord(src string) roster.Record {
	return roster.Record{Source: src, Edition: "2025-01-01", Ref: "1", Name: "Məmmədov Əli", Aliases: []string{"Əli Dalğa"},
		BirthYear: 1985, BirthDate: "1985-03-12", Gender: "m", Group: "journalist", GroupRaw: "Jurnalist", Case: "Abzas",
		ArrestDate: "2024-01-01", Sentence: "9 years", Status: "in prison", Charges: "206.3.2", Place: "Penitentiary 13",
		Notes: "diabetic", Raw: "1,Məmmədov Əli,+994 50 111 22 33,lawyer X"}
}

func TestRecord(t *testing.T) {
	ms := Resolve([]Mark{
		{ID: 1, Action: ActionMark, Source: "ipm", Column: "Phone"},
		{ID: 2, Action: ActionMark, Column: "notes"},
		{ID: 3, Action: ActionMark, Source: "ipm", Column: "birth"},
	}, Lineage{})
	full := sampleRecord("ipm")
	if got := New(Internal, ms).Record(full); !reflect.DeepEqual(got, full) {
		t.Errorf("internal changed the record: %+v", got)
	}
	co := New(Coalition, ms).Record(full)
	if co.Notes != "" || co.BirthYear != 0 || co.BirthDate != "" || co.Raw != "" {
		t.Errorf("coalition kept a private field: %+v", co)
	}
	if co.Case != full.Case || co.Name != full.Name || co.Group != full.Group || co.Charges != full.Charges {
		t.Errorf("coalition lost a field that is not private: %+v", co)
	}
	// Another source: only the mark on every source (notes) applies, and
	// its raw row holds a private column (notes) too.
	other := New(Coalition, ms).Record(sampleRecord("cdr"))
	if other.Notes != "" || other.BirthYear != 1985 || other.Raw != "" {
		t.Errorf("coalition, cdr: %+v", other)
	}
	// Without marks, coalition sees the row as imported; public never does.
	none := Resolve(nil, Lineage{})
	if got := New(Coalition, none).Record(full); got.Raw != full.Raw {
		t.Errorf("coalition without marks lost the raw row")
	}
	if got := New(Public, none).Record(full); got.Raw != "" || got.Notes != full.Notes {
		t.Errorf("public without marks: raw %q, notes %q; want no raw row, the notes", got.Raw, got.Notes)
	}
}

type row struct {
	r   roster.Record
	pid string
}

func TestRowsWithholdsPrivatePersonsFromPublicOnly(t *testing.T) {
	ms := Resolve([]Mark{mark(1, ActionMark, "P-000002")}, Lineage{})
	rows := []row{{sampleRecord("ipm"), "P-000001"}, {sampleRecord("cdr"), "P-000002"}, {sampleRecord("mhm"), "P-000002"}, {sampleRecord("fpp"), ""}}
	get := func(x *row) (*roster.Record, string) { return &x.r, x.pid }
	for _, tc := range []struct {
		a        Audience
		kept     int
		withheld []string
	}{{Public, 2, []string{"P-000002"}}, {Coalition, 4, nil}, {Internal, 4, nil}} {
		kept, withheld := Rows(New(tc.a, ms), rows, get)
		if len(kept) != tc.kept || !reflect.DeepEqual(withheld, tc.withheld) {
			t.Errorf("%s: kept %d, withheld %v; want %d, %v", tc.a, len(kept), withheld, tc.kept, tc.withheld)
		}
	}
	if rows[0].r.Raw == "" {
		t.Error("Rows changed its input")
	}
}

func TestWithheldByGroup(t *testing.T) {
	recs := []roster.Record{
		{Source: "a", Edition: "2025-01-01", Ref: "1", Name: "X", Group: "journalist"},
		{Source: "b", Edition: "2025-01-01", Ref: "1", Name: "X", Group: "journalist"},
		{Source: "a", Edition: "2025-01-01", Ref: "2", Name: "Y", Group: "religious"},
		{Source: "b", Edition: "2025-01-01", Ref: "2", Name: "Z", Group: "journalist"},
	}
	in := review.Input{Records: recs, Members: []roster.Membership{
		{PersonID: "P-000001", Source: "a", Edition: "2025-01-01", Ref: "1"},
		{PersonID: "P-000001", Source: "b", Edition: "2025-01-01", Ref: "1"},
		{PersonID: "P-000002", Source: "a", Edition: "2025-01-01", Ref: "2"},
		{PersonID: "P-000003", Source: "b", Edition: "2025-01-01", Ref: "2"},
	}}
	ms := Resolve([]Mark{mark(1, ActionMark, "P-000001"), mark(2, ActionMark, "P-000002")}, Lineage{})
	got := New(Public, ms).WithheldByGroup(in)
	want := map[string]int{"journalist": 1, "religious": 1, "total": 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("withheld = %v; want %v", got, want)
	}
	if got := New(Coalition, ms).WithheldByGroup(in); got != nil {
		t.Errorf("coalition withholds %v", got)
	}
	// The counts themselves still count everyone.
	for _, r := range review.Tallies(in).Rows {
		if r.Group == "total" && r.Registry != 3 {
			t.Errorf("total registry = %d; want 3", r.Registry)
		}
	}
}

func TestDiff(t *testing.T) {
	ms := Resolve([]Mark{mark(1, ActionMark, "P-000002"), {ID: 2, Action: ActionMark, Column: "case"}}, Lineage{})
	d := review.Diff{Source: "a", Added: []review.DiffEntry{
		{ID: "P-000001", PersonID: "P-000001", Record: roster.RecordView{Source: "a", Name: "X", Case: "Abzas", PersonID: "P-000001"}},
		{ID: "P-000002", PersonID: "P-000002", Record: roster.RecordView{Source: "a", Name: "Secret Person", PersonID: "P-000002"}},
	}}
	out, added, removed := New(Public, ms).Diff(d)
	if added != 1 || removed != 0 || len(out.Added) != 1 || out.Added[0].PersonID != "P-000001" || out.Added[0].Record.Case != "" {
		t.Errorf("public diff = %+v, withheld %d/%d", out, added, removed)
	}
	if len(d.Added) != 2 || d.Added[0].Record.Case != "Abzas" {
		t.Error("Diff changed its input")
	}
	out, added, _ = New(Coalition, ms).Diff(d)
	if added != 0 || len(out.Added) != 2 {
		t.Errorf("coalition diff withheld %d", added)
	}
}

// TestHides: which fields an audience may not see, for the pages that
// show a field's values outside a record (a score's waterfall, a
// conflict's title).
func TestHides(t *testing.T) {
	ms := Resolve([]Mark{
		{ID: 1, Action: ActionMark, Source: "ipm", Column: "Phone"},
		{ID: 2, Action: ActionMark, Source: "ipm", Column: "birth"},
		{ID: 3, Action: ActionMark, Column: "case"},
	}, Lineage{})
	co, in := New(Coalition, ms), New(Internal, ms)
	tests := []struct {
		field roster.Field
		want  bool
	}{
		{roster.FieldBirth, true}, // marked for one source
		{roster.FieldCase, true},  // for every source
		{roster.FieldGroup, false},
		{"", false}, // a header that is no field (Phone) hides only the raw row
	}
	for _, tt := range tests {
		if got := co.HidesAnywhere(tt.field); got != tt.want {
			t.Errorf("coalition hides %q = %v, want %v", tt.field, got, tt.want)
		}
		if in.HidesAnywhere(tt.field) {
			t.Errorf("internal hides %q", tt.field)
		}
	}
	if !co.Hiding() || in.Hiding() || New(Coalition, Resolve(nil, Lineage{})).Hiding() {
		t.Error("Hiding")
	}
	for name, want := range map[string]roster.Field{"birth_year": roster.FieldBirth, "arrest_date": roster.FieldArrest,
		"case": roster.FieldCase, "surname": "", "group_raw": roster.FieldGroup} {
		if got := FieldOfName(name); got != want {
			t.Errorf("FieldOfName(%q) = %q, want %q", name, got, want)
		}
	}
}
