package web

import (
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// TestAliasesShown: the item page shows each record's other names (alias
// columns and a pen name in the name cell) beside the names as written;
// the person page shows the person's other names.
func TestAliasesShown(t *testing.T) {
	f := newFixture(t)
	f.reg.records[0].Aliases = []string{"Əli Dalğa"}
	f.reg.records[1].Name = "Гасанов Али Вагиф оглы (Али Дальга)"
	c := f.client(t)
	c.login("alice", "alice-password")
	r := c.get("/items/1")
	for _, want := range []string{`<th scope="row">Other names</th>`, "<td>Əli Dalğa</td>", "<td>Али Дальга</td>"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	r = c.get("/persons/P-000001")
	if !strings.Contains(r.Body, `<p class="aliases">Also known as: Əli Dalğa</p>`) || !strings.Contains(r.Body, "<td>Əli Dalğa</td>") {
		t.Errorf("person page lacks the person's other names:\n%s", r.Body)
	}
	// A record gone since the queue was built shows as its payload kept it.
	f.queue.items = append(f.queue.items, roster.ReviewItem{ID: 5, Kind: roster.KindOmission, State: "decided",
		Records: []string{"xyz@2025-01-01:9"}, Title: "gone",
		Payload: `{"records":[{"ref":"xyz@2025-01-01:9","source":"xyz","edition":"2025-01-01","record_ref":"9",` +
			`"name":"Quliyev Samir","aliases":["Samir Sahil"]}]}`})
	if r := c.get("/items/5"); !strings.Contains(r.Body, "<td>Samir Sahil</td>") {
		t.Errorf("item with a record no longer in the database lacks its other names:\n%s", r.Body)
	}
	r = c.get("/persons/P-000003")
	if strings.Contains(r.Body, "Also known as") || strings.Contains(r.Body, "Other names") {
		t.Error("a person without other names shows an aliases line")
	}
}
