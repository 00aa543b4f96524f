// The floor a gateway is measured against: a Worker that forwards each request to the upstream
// (the Atlassian emulator) and returns its answer untouched.
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new Request(`${env.UPSTREAM}${url.pathname}${url.search}`, request));
  },
};
