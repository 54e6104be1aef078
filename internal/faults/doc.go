// Package faults holds Roster's fault-injection tests (issue 16). They
// build the roster binary once and drive it as a user would, with exec:
// kill -9 at random points of an import and of a match (the database must
// be intact and hold either the previous state or the whole new one),
// readers during a long write (they answer at once), an import during a
// match (the match refuses to save), files the user may only read, and
// hostile files (a giant cell, a million columns, deep JSON, zip bombs)
// refused within the limits.
//
// ROSTER_BINARY runs the suite against a binary built elsewhere (an older
// roster, to see which faults it does not survive); -short runs smaller
// inputs.
package faults
