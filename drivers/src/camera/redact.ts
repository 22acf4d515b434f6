/** The URL with any password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}

/** Puts credentials into an RTSP URL that has none (ONVIF stream URIs usually come without). */
export function withCredentials(url: string, username?: string, password?: string): string {
  if (!username) return url;
  const u = new URL(url);
  if (u.username) return url;
  u.username = username;
  if (password) u.password = password;
  return u.toString();
}
