package fakegithub

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// paginate picks the page the request asked for out of total items and sets
// the Link header GitHub would send. Unparsable or non-positive page and
// per_page fall back to their defaults; per_page above 100 is clamped.
func paginate(c *call, total int) (start, end int) {
	return paginateBy(c, total, defaultPerPage, maxPerPage)
}

// paginateBy is paginate for a listing with its own per_page default and
// maximum (variables: 10 and 30).
func paginateBy(c *call, total, defaultPer, maxPer int) (start, end int) {
	query := c.r.URL.Query()
	perPage := positiveInt(query.Get("per_page"), defaultPer)
	perPage = min(perPage, maxPer)
	page := positiveInt(query.Get("page"), 1)

	last := max(1, (total+perPage-1)/perPage)
	start, end = total, total
	if page <= last {
		start = (page - 1) * perPage
		end = min(total, start+perPage)
	}

	link := func(p int, rel string) string {
		q := c.r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u := *c.r.URL
		u.Scheme, u.Host, u.RawQuery = "http", c.r.Host, q.Encode()
		if c.r.TLS != nil {
			u.Scheme = "https"
		}
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	// Same order as GitHub: prev, next, last, first.
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	return start, end
}

func positiveInt(s string, fallback int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fallback
	}
	return n
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
