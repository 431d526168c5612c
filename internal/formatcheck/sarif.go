package formatcheck

import (
	"encoding/json"
	"fmt"
)

// sarifLog is the part of a SARIF log the GitHub rules read.
type sarifLog struct {
	Schema string `json:"$schema"`
	Runs   []struct {
		AutomationDetails *struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string     `json:"id"`
					ShortDescription *sarifText `json:"shortDescription"`
					FullDescription  *sarifText `json:"fullDescription"`
					Help             *sarifText `json:"help"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Fixes               []struct {
				ArtifactChanges []struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"artifactChanges"`
			} `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

// sarifText is a SARIF message string.
type sarifText struct {
	Text string `json:"text"`
}

func decodeJSON(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return nil
}
