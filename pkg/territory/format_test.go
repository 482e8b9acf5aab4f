package territory

import "testing"

func TestGroupDigits(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0", "0"},
		{"999", "999"},
		{"1000", "1,000"},
		{"-1000", "-1,000"},
		{"1234567.891", "1,234,567.891"},
		{"-1234567.50", "-1,234,567.50"},
		{"123456", "123,456"},
		{"12.5", "12.5"},
		{"-0.25", "-0.25"},
	} {
		if got := GroupDigits(tt.in); got != tt.want {
			t.Errorf("GroupDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
