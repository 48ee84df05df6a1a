package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Repository roles, weakest first: what the token's user may do in a
// repository it can see. The zero Role is admin, so repositories are fully
// usable unless a test says otherwise.
const (
	RoleRead     = "read"
	RoleTriage   = "triage"
	RoleWrite    = "write"
	RoleMaintain = "maintain"
	RoleAdmin    = "admin"
)

var roleOrder = []string{RoleRead, RoleTriage, RoleWrite, RoleMaintain, RoleAdmin}

// msgNoAdmin is what GitHub answers a secrets endpoint of a repository the
// token's user lacks the role for (whatever role is missing).
const msgNoAdmin = "Must have admin rights to Repository."

// SetRepositoryRole gives the token's user role in org's repository repo.
// GitHub lets users with collaborator (write) access read and write a
// repository's Actions, Dependabot and Copilot agents secrets, and those of
// its environments; Codespaces secrets and the environments themselves
// (create, delete) need admin. Listing the environments needs read. It
// panics on an unknown role or repository.
func (s *Server) SetRepositoryRole(org, repo, role string) {
	if !slices.Contains(roleOrder, role) {
		panic(fmt.Sprintf("fakegithub: unknown repository role %q", role))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.locate(org, repo, "")
	if !ok || p.repo == nil {
		panic("fakegithub: no " + describePlace(org, repo, ""))
	}
	r := p.org.repos[p.repoID]
	r.Role = role
	p.org.repos[p.repoID] = r
}

// roleAtLeast reports whether role grants what need does; "" is admin.
func roleAtLeast(role, need string) bool {
	if role == "" {
		role = RoleAdmin
	}
	return slices.Index(roleOrder, role) >= slices.Index(roleOrder, need)
}

// roleNeeded is the role an operation on a repository or its environments
// needs; "" when any role that sees the repository will do.
func roleNeeded(kind, operation string) string {
	switch {
	case kind == "codespaces":
		return RoleAdmin
	case kind != "":
		return RoleWrite
	case operation == "repos/create-or-update-environment", operation == "repos/delete-an-environment":
		return RoleAdmin
	}
	return ""
}

// permitted answers 403 and reports false when the token's user lacks the
// role the call's repository operation needs. The caller holds s.mu.
func (c *call) permitted(operation string) bool {
	if c.place.repo == nil {
		return true
	}
	need := roleNeeded(c.kind, operation)
	if need == "" || roleAtLeast(c.place.repository().Role, need) {
		return true
	}
	c.fail(http.StatusForbidden, msgNoAdmin)
	return false
}

// ListingFaults make secret and environment listings contradict
// themselves, as a caching proxy or a GitHub incident has: items go missing
// from a page while total_count still counts them.
type ListingFaults struct {
	// DropEvery drops every DropEvery-th item of a page (2: every second, 1:
	// all); 0 drops none.
	DropEvery int
	// PathPrefix limits the faults to listings whose path starts with it
	// ("/repos/acme/api/environments/production/secrets"); "" is every
	// secret and environment listing.
	PathPrefix string
	// Pages is how many pages are answered so before the listings behave
	// again; 0 is every page from now on.
	Pages int
}

// SetListingFaults switches listing faults on (the zero value: off) for the
// requests that arrive from now on.
func (s *Server) SetListingFaults(f ListingFaults) {
	s.listingMu.Lock()
	defer s.listingMu.Unlock()
	s.listingFaults, s.listingPagesLeft = f, f.Pages
}

// thinned reports whether the page at path is to lose items, and counts it.
func (s *Server) thinned(path string) (every int) {
	s.listingMu.Lock()
	defer s.listingMu.Unlock()
	f := s.listingFaults
	if f.DropEvery < 1 || !strings.HasPrefix(path, f.PathPrefix) {
		return 0
	}
	if f.Pages > 0 {
		if s.listingPagesLeft == 0 {
			return 0
		}
		s.listingPagesLeft--
	}
	return f.DropEvery
}

// thin drops every n-th item of page (n 0: none).
func thin[T any](page []T, n int) []T {
	if n == 0 {
		return page
	}
	out := page[:0:0]
	for i, item := range page {
		if (i+1)%n != 0 {
			out = append(out, item)
		}
	}
	return out
}
