"""Industrial chains (产业链) and supply-chain security: pure functions over the chain data frames
(docs/chains.md)."""
