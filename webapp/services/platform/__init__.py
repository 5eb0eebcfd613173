"""Infrastructure every context uses: accounts and sign-in, the job queue, the gazetteer."""
