"""The clinic's articles and the retrieval engine that answers from them."""
