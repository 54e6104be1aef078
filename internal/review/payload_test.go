package review

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// The payload writer must write what encoding/json writes, so that stored
// payloads compare byte for byte across rebuilds and read back as before.
func TestPayloadWriterMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f\x7f", "Həsənov Əli Vaqif oğlu", "Гасанов Али", "line\u2028sep\u2029para", "bad \xff\xfe utf8",
		"emoji 🙂", "trailing \xe2\x82"}
	for _, s := range strs {
		want, _ := json.Marshal(s)
		if got := string(appendString(nil, s)); got != string(want) {
			t.Errorf("string %q: got %s, want %s", s, got, want)
		}
	}
	floats := []float64{0, 1, -1, 0.5, 0.42192763020494145, 1e-7, 1.5e-9, 123456789, 1e21, 1e20, -3.25e-7, 50 + 10*0.84, math.SmallestNonzeroFloat64}
	for _, f := range floats {
		want, _ := json.Marshal(f)
		if got := string(appendFloat(nil, f)); got != string(want) {
			t.Errorf("float %v: got %s, want %s", f, got, want)
		}
	}
	// A whole payload, against the map encoding/json sorts.
	r := roster.Record{Source: "ipm", Edition: "2025-06-01", Ref: "7", Name: "Əliyev <Əli>", BirthYear: 1985, Gender: "m",
		Group: "journalist", GroupRaw: "Jurnalistlər & bloggerlər", Case: "Abzas Media", Status: "detained",
		Location: "line 8", Raw: "7,Əliyev <Əli>,1985"}
	x := &rec{Source: r.Source, Edition: r.Edition, Ref: r.Ref, Name: r.Name, BirthYear: r.BirthYear, Gender: r.Gender,
		Group: r.Group, GroupRaw: r.GroupRaw, Case: r.Case, Status: r.Status, Location: r.Location, Raw: r.Raw,
		key: "ipm@2025-06-01:7", person: "P-000001", fp: "fp1:00"}
	var w jsonw
	w.open()
	w.strMap("by_source", map[string]string{"ipm": "1985", "hrc": "1986"})
	w.strs("empty", []string{})
	w.float("p", 0.71)
	w.strs("persons", []string{"P-1", ""})
	w.records("records", []*rec{x})
	w.bool("same", false)
	w.strs("unset", nil)
	w.close()
	lean := map[string]any{"ref": x.key, "person_id": x.person, "name": r.Name, "birth_year": r.BirthYear, "gender": r.Gender,
		"group": r.Group, "group_raw": r.GroupRaw, "case": r.Case, "status": r.Status}
	var got, want any
	if err := json.Unmarshal(w.b, &got); err != nil {
		t.Fatalf("invalid JSON %s: %v", w.b, err)
	}
	b, _ := json.Marshal(map[string]any{"by_source": map[string]string{"ipm": "1985", "hrc": "1986"}, "empty": []string{},
		"p": 0.71, "persons": []string{"P-1", ""}, "records": []any{lean}, "same": false, "unset": nil})
	_ = json.Unmarshal(b, &want)
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("payload\n got %s\nwant %s", gb, wb)
	}
	// The record's fields come in RecordView's order, less what the store adds.
	type leanView struct {
		Ref         string   `json:"ref"`
		Source      string   `json:"source,omitempty"`
		Edition     string   `json:"edition,omitempty"`
		RecordRef   string   `json:"record_ref,omitempty"`
		PersonID    string   `json:"person_id,omitempty"`
		Fingerprint string   `json:"fingerprint,omitempty"`
		Name        string   `json:"name"`
		Aliases     []string `json:"aliases,omitempty"`
		BirthYear   int      `json:"birth_year,omitempty"`
		BirthDate   string   `json:"birth_date,omitempty"`
		Gender      string   `json:"gender,omitempty"`
		Group       string   `json:"group,omitempty"`
		GroupRaw    string   `json:"group_raw,omitempty"`
		Case        string   `json:"case,omitempty"`
		ArrestDate  string   `json:"arrest_date,omitempty"`
		Sentence    string   `json:"sentence,omitempty"`
		Status      string   `json:"status,omitempty"`
		Location    string   `json:"location,omitempty"`
		Raw         string   `json:"raw,omitempty"`
	}
	v := leanView(view(x))
	v.Source, v.Edition, v.RecordRef, v.Fingerprint, v.Location, v.Raw = "", "", "", "", "", ""
	wantRec, _ := json.Marshal(v)
	var wr jsonw
	wr.record(x)
	if string(wr.b) != string(wantRec) {
		t.Errorf("record\n got %s\nwant %s", wr.b, wantRec)
	}
}

func TestGapPayloadCapped(t *testing.T) {
	w := newWorld()
	for i := 0; i < 30; i++ {
		pid := "P-" + string(rune('A'+i/26)) + string(rune('a'+i%26))
		w.add("ipm", "2025-06-01", pid, "Antiwar "+pid, roster.GroupAntiWar, 1990)
		w.add("hrc", "2025-06-01", pid, "Antiwar "+pid, roster.GroupAntiWar, 1990)
	}
	w.add("abc", "2025-06-01", "P-z", "Other", roster.GroupReligious, 1970)
	w.in.Options.GapMaxPersons = 10
	var gap roster.ReviewItem
	for _, it := range Build(w.comprehensive().in) {
		if it.Key == "group-gap:abc:anti-war" {
			gap = it
		}
	}
	var p struct {
		Persons []struct {
			PersonID string `json:"person_id"`
		} `json:"persons"`
		Total   int `json:"persons_total"`
		Omitted int `json:"omitted"`
	}
	if err := json.Unmarshal([]byte(gap.Payload), &p); err != nil {
		t.Fatalf("gap %+v: %v", gap, err)
	}
	if len(p.Persons) != 10 || p.Total != 30 || p.Omitted != 30 || p.Persons[0].PersonID != "P-Aa" || len(gap.Records) != 20 {
		t.Errorf("capped gap: %d persons of %d, %d omitted, %d records; %s", len(p.Persons), p.Total, p.Omitted, len(gap.Records), gap.Title)
	}
	if want := "abc lists no anti-war activists; hrc and ipm list 30 — abc omits 30 of the 30 persons they list"; gap.Title != want {
		t.Errorf("title %q, want %q", gap.Title, want)
	}
}

func TestTitlesMatchSprintf(t *testing.T) {
	w := newWorld()
	w.add("ipm", "2025-02-01", "P-1", "Old", "", 0)
	names := []string{"Həsənov \"Əli\"", "Гасанов\tАли", "O'Brien \\ x", "bad \xff utf8", ""}
	for i, n := range names {
		w.add("ipm", "2025-06-01", fmt.Sprint("P-", i), n, "", 0)
		w.add("mhm:x", "2025-05-01", fmt.Sprint("P-", i), n+" 2", "", 0)
	}
	ix := newIndex(w.in)
	for i := range ix.recs {
		for j := range ix.recs {
			a, b := &ix.recs[i], &ix.recs[j]
			for _, p := range []float64{0, 0.005, 0.425, 0.999, 1} {
				if got, want := matchTitle(ix, a, b, p), fmt.Sprintf("Is %q (%s) the same person as %q (%s)? p=%.2f", a.Name, ix.short(a.key), b.Name, ix.short(b.key), p); got != want {
					t.Errorf("match title %q, want %q", got, want)
				}
				if got, want := duplicateTitle(a, b, p), fmt.Sprintf("%s lists %q (%s) and %q (%s): the same person twice? (p=%.2f)", a.Source, a.Name, a.Ref, b.Name, b.Ref, p); got != want {
					t.Errorf("duplicate title %q, want %q", got, want)
				}
			}
		}
	}
}
