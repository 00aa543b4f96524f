// The floor for a gateway that must reshape Confluence's answers rather than pass them through: a
// Worker that forwards the request, reads the JSON answer, keeps a few fields, cuts a page body to
// the slice the gateway would send (`x-slice-chars`: 20 000 by default, the gateway's default
// max_chars) and serialises the result. No authentication, no validation, no policy: only the work
// no such gateway can skip.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const upstream = await fetch(new Request(`${env.UPSTREAM}${url.pathname}${url.search}`, request));
    const answer = await upstream.json();
    if (Array.isArray(answer.results)) {
      return Response.json({
        success: true,
        results: answer.results.map((result) => ({
          id: result.content?.id,
          title: result.title ?? result.content?.title,
          excerpt: result.excerpt,
          url: result.url,
          last_modified: result.lastModified,
        })),
        next_cursor: answer._links?.next ?? null,
      });
    }
    const slice = Number(request.headers.get('x-slice-chars') ?? 20_000);
    const content = answer.body?.storage?.value ?? '';
    return Response.json({
      success: true,
      page: {
        id: answer.id,
        title: answer.title,
        space_id: answer.spaceId,
        version: { number: answer.version?.number, message: answer.version?.message ?? '' },
        content: content.slice(0, slice),
        total_chars: content.length,
        truncated: content.length > slice,
      },
    });
  },
};
