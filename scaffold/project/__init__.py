"""What a project records and what an organisation sets: answers, foreign records, org config."""
