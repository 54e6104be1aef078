package match

import "time"

// newTicker paces progress reports.
func newTicker() *time.Ticker { return time.NewTicker(100 * time.Millisecond) }
