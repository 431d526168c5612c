package all

import "testing"

func TestRegistryValid(t *testing.T) {
	if err := rulesValidate(); err != nil {
		t.Fatal(err)
	}
}
