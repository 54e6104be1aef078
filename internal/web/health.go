package web

import (
	"context"
	"net/http"
	"time"
)

// healthz answers a load balancer or a container runtime: 200 when the
// database answers (Config.Health), 503 otherwise. It needs no session and
// says nothing else.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.Health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.cfg.Health(ctx); err != nil {
			s.cfg.Log.Error("health check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}` + "\n"))
			return
		}
	}
	w.Write([]byte(`{"status":"ok"}` + "\n"))
}
