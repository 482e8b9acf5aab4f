package solve

import (
	"github.com/territory-optimizer/territory/pkg/territory"
)

// setOwners reads today's alignment: every account's owner territory and
// its lock.
func (m *model) setOwners(p *territory.Problem) {
	owners := p.OwnerTerritories()
	any := false
	for _, k := range owners {
		if k >= 0 {
			any = true
			break
		}
	}
	if !any {
		return
	}
	m.owner = make([]int32, m.n)
	for i, k := range owners {
		m.owner[i] = int32(k)
	}
	for i, l := range p.Accounts.Locked {
		if l && owners[i] >= 0 {
			if m.locked == nil {
				m.locked = make([]bool, m.n)
			}
			m.locked[i] = true
		}
	}
}

// moveDelta is how moving account i from one territory to another changes
// the number of moved accounts: +1 when it leaves its owner, -1 when it
// returns, 0 otherwise.
func (m *model) moveDelta(i int, from, to int32) int {
	o := m.owner[i]
	switch {
	case o < 0:
		return 0
	case from == o && to != o:
		return 1
	case to == o && from != o:
		return -1
	}
	return 0
}

// canMove reports whether account i may go to territory to: it is not
// locked, and the move keeps the number of moved accounts within the cap.
func (s *state) canMove(i int, to int32) bool {
	m := s.m
	if m.fixed(i) {
		return false
	}
	if m.maxMoves >= 0 && m.owner != nil && s.moved+m.moveDelta(i, s.assign[i], to) > m.maxMoves {
		return false
	}
	return true
}

// withinMoves reports whether the number of moved accounts is within the
// cap, for changes of several accounts at once (chains, swaps).
func (s *state) withinMoves() bool {
	return s.m.maxMoves < 0 || s.moved <= s.m.maxMoves
}

// applyOwners puts locked accounts with their owners, and, when the number
// of moves is capped, every account with an owner: the search then starts
// from today's alignment and spends its moves where they help most.
func (s *state) applyOwners() {
	m := s.m
	if m.owner == nil {
		return
	}
	capped := m.maxMoves >= 0
	for i, o := range m.owner {
		if o >= 0 && (capped || m.fixed(i)) {
			s.assign[i] = o
		}
	}
	s.recount()
}

// setStickiness turns the stickiness weight into a cost: w times the mean
// cost of an account in the current state, so that w = 1 makes a change of
// rep cost as much as a typical account's distance.
func (s *state) setStickiness(w float64) {
	if w <= 0 || s.m.owner == nil {
		return
	}
	s.m.stick = 0
	s.m.stick = w * s.costScale()
}
