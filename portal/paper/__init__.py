"""Paper ballots (书面投票) entered beside electronic ones."""
