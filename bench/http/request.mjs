/** The request every HTTP bench sends: a note created through a loopback proxy over HTTPS. */
export const body = JSON.stringify({
  title: 'Benchmark note',
  body: 'A short body for the benchmark.',
  tags: ['bench', 'http'],
})

export const headers = {
  'content-type': 'application/json',
  origin: 'https://app.example.com',
  'x-forwarded-for': '203.0.113.9',
  'x-forwarded-proto': 'https',
}
