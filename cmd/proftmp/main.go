package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/store"
)

func main() {
	ctx := context.Background()
	s, err := store.Open(ctx, os.Args[1])
	if err != nil {
		panic(err)
	}
	recs, err := s.MatchRecords(ctx)
	if err != nil {
		panic(err)
	}
	f, _ := os.Create(os.Args[2])
	pprof.StartCPUProfile(f)
	t := time.Now()
	m := match.New(recs, match.Config{})
	res, err := m.Run(ctx)
	if err != nil {
		panic(err)
	}
	pprof.StopCPUProfile()
	fmt.Println(time.Since(t), res.Stats)
}
