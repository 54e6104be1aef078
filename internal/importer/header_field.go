package importer

import "github.com/roster-coalition/roster/internal/roster"

// HeaderField returns the field a header is read into when a list has it
// ("Qeyd" → notes, "Год рождения" → birth), as the importer recognises
// headers without --map; ok is false for a header that maps to no field.
func HeaderField(header string) (roster.Field, bool) {
	f, _ := classifyHeader(header)
	return f, f != ""
}
