"""Company records (project-wide), the staff pages that keep them, and the choice of a company in forms."""
