package binance

// KillConn closes the session's socket without a close frame, as a network failure would: the
// reader sees the error and reports the drop.
func (s *Session) KillConn() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		_ = s.conn.nc.Close()
	}
}
