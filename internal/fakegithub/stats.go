package fakegithub

// Stats summarises the requests served since New or the last ResetRequests.
type Stats struct {
	ByMethod map[string]int
	// ByStatus counts answers by status; 0 counts requests that got none
	// (dropped, or abandoned by the client during the latency).
	ByStatus          map[int]int
	PrimaryRejected   int // 403s for a used-up primary limit
	SecondaryRejected int // 403s for a secondary limit
	ServerErrors      int // injected 500, 502 and 503 answers
	Dropped           int // injected dropped connections
	NotModified       int // 304 answers to conditional requests
	MaxInFlight       int // most requests served at once
}

// Stats reports the traffic so far.
func (s *Server) Stats() Stats {
	s.logMu.Lock()
	st := s.stats
	st.ByMethod, st.ByStatus = map[string]int{}, map[int]int{}
	for _, r := range s.requests {
		st.ByMethod[r.Method]++
		st.ByStatus[r.Status]++
	}
	s.logMu.Unlock()

	s.traffic.mu.Lock()
	st.MaxInFlight = s.traffic.maxInFlight
	s.traffic.mu.Unlock()
	return st
}

// record logs a request with the status it was answered with.
func (s *Server) record(req Request, status int) {
	req.Status = status
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.requests = append(s.requests, req)
	if status == 304 {
		s.stats.NotModified++
	}
}

// count updates the counters of Stats.
func (s *Server) count(update func(*Stats)) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	update(&s.stats)
}

func (s *Server) resetStats() {
	s.logMu.Lock()
	s.stats = Stats{}
	s.logMu.Unlock()

	s.traffic.mu.Lock()
	s.traffic.maxInFlight = s.traffic.inFlight
	s.traffic.mu.Unlock()
}
