package roster

import (
	"reflect"
	"testing"
)

func TestMergeAliases(t *testing.T) {
	tests := []struct {
		name string
		in   [][]string
		want []string
	}{
		{"none", nil, nil},
		{"empty lists", [][]string{nil, {}, {" "}}, nil},
		{"sorted union", [][]string{{"Tural Sahil", "Aytan Dalga"}, {"Aytan  Dalga", "Dalğa"}},
			[]string{"Aytan Dalga", "Dalğa", "Tural Sahil"}},
		{"case repeats once", [][]string{{"AYTAN DALGA"}, {"Aytan Dalga"}}, []string{"AYTAN DALGA"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MergeAliases(tc.in...); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MergeAliases(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}
