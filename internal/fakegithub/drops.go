package fakegithub

import (
	"net/http"
	"strings"
	"sync"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/routes"
)

// answerDrops are pending losses of answers to successful requests, by
// "METHOD template".
type answerDrops struct {
	mu   sync.Mutex
	left map[string]int
}

// DropAnswers makes the next n requests of method to the route template
// (as GitHub's description writes it, such as "/orgs/{org}/private-registries")
// that the API answers with a 2xx do their work and then get no answer: the
// connection closes, as when the network fails after GitHub acted. A client
// cannot tell whether such a write happened. n < 1 cancels.
func (s *Server) DropAnswers(method, template string, n int) {
	d := &s.answerDrops
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.left == nil {
		d.left = map[string]int{}
	}
	key := strings.ToUpper(method) + " " + template
	if n < 1 {
		delete(d.left, key)
		return
	}
	d.left[key] = n
}

// DropAnswerAfterCreate is DropAnswers for the next n private registry creates.
func (s *Server) DropAnswerAfterCreate(n int) {
	s.DropAnswers(http.MethodPost, "/orgs/{org}/private-registries", n)
}

// dropsAnswer reports whether the answer (of status) to method on path is to
// be lost, and counts it.
func (s *Server) dropsAnswer(method, path string, status int) bool {
	if status < 200 || status > 299 {
		return false
	}
	d := &s.answerDrops
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.left) == 0 {
		return false
	}
	rt, _, ok := routes.Match(method, path)
	if !ok || d.left[rt.Key()] == 0 {
		return false
	}
	if d.left[rt.Key()]--; d.left[rt.Key()] == 0 {
		delete(d.left, rt.Key())
	}
	s.count(func(st *Stats) { st.Dropped++ })
	return true
}
