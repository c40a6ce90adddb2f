/**
 * The built-in sandbox tenant's first signing key, fixed so that `acr-streaming-mcp sandbox token --user NAME`
 * (another process) mints tokens the running sandbox accepts. Public on purpose: it signs nothing outside
 * the emulator. Rotation (EntraKeys.rotate) adds fresh random keys at run time.
 */
export const DEMO_SIGNING_KEY_PEM = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDwyAKJUKyfYrRt',
    'Gyd+BD5wjR8MtUo2Jo217YiTC+7liv2ZP8mLt3bH4C15DJy7wLK8yOfE2Y8g+mq0',
    'Ap40GXNJ2CmHooKzHpgYj4+eUIAQMWk11V2najhPN/MpImnCfPgfOz2vgEfFpS9t',
    '8B+eLMjosinDaVYBrnMAUO5rgKqwzMPZ6ULnldv+0O1hI/q1DYPivjq/mcy4dByg',
    '1LC3TYNCohQbdY+oZDQYrM61S97JyCGA2mS1zq5x+ruq0O2l/jgxEzziuZDizoOk',
    'DNEyeURqLgi9g56qIkEg0Ec0m8sWXYLyG7zjAj/srEe2kgePA7K+L957C0g85tAs',
    'OakxWhzFAgMBAAECggEAErvNDrf7Jk98sDx7nx9faExijQ+R3ZK0VeJMTPyRssRU',
    'pNbErJ0ynayAfTmQ/D6q6WtMNRGkRDGXmbfWbUFJqgYqfQYU2zDXLpoE15F11Uyy',
    '3eBi8AKgrPEydxHZXqtwdqWaUAxQCT2n6grTuu/LFee+vhh0+56CDhU955lULnsp',
    'YsVb6KUoLpP3G5k/ecTQPHcBCYbVr3SCmG1/qJpmgSR/SfclqZaBMLv4mPU7eiRS',
    'Ri8FVlwd99nVojribAWvgWXyQooVVMbnswavJGDy+CyQAkOggD9ei3lLzSXG/0XD',
    'Y4zykqH3RFSUvpBlsNgt0g4T84/TyxS9uotucNLdRQKBgQD7cY4U76CvS01Bb458',
    '1rvdbJ7do2kw93KEIlEmmg1j33CeeXPwN0jDtS+xerTZsjG70qVHPEDSH51P+ERZ',
    'qACz7PF9qFN5qYtoKmByquo6ZVl4EXZ455kGdJOFtF8LSO84l244gdPfBilB7MZm',
    'EIUSsjhGSClLdAOoi7yfYlJYDwKBgQD1JP4dJj6IvfMlAxaEZPTrbi2L+c4k2gyW',
    'lujAFJyyadH/EswSYGFWOCclHWDtIAg+Sy/EY/FaMIk549NJFu/vQDFtq1hKY/m7',
    'iQRfLdYQI0dToWAzK9MK1Z1wS7FezVeqIaCB8MsThKsIcR/p7duflUkUEynqKbUs',
    '/A5VwelJ6wKBgHwyW77FmfXb2P4QTy4klsjJJTNOyt+P6fWQScsqXqDNNgBg9z5Y',
    '4E0iyrr8ZCX/WYdvhYnJHi9rxDVC6OfsDuTQjXvGz+yRLTW3cMpS170eYHHpFj6k',
    'DrbckB2DuUqGrPqj+aJZpkBL98cDX//7+u8ALsGwVQ1a8Y+n7fRACXJLAoGAF3ux',
    'tA0j1GmNzy/ailg5dgwZ5NzLOJCCwDI4nZ3b3ONyMGMWlXQSHvZGGbIUxOJap80A',
    'CGoihqc7ngYLCWdfGKYnlf/h905Yb/SSLKPxa55ViNdepcg+8TzBVi6KETDOgwex',
    'noD4kygUUjyz9+7HKSRd2cR0MXBJYMPMg76NoH0CgYEAvW8PETZWS4Ot/zTCUl0/',
    'NEVFHhw8cMKPaFzvELqeNMPnIzvA4odBBjYcJIyk5sKOy/L4ttqYBtb2eQLPydiO',
    'HM7DiHciItCOiYUvCBsRQFNY3sPey/oiJwqMpjnE7NrCQoOIZT41lShRD++yXMiO',
    'AWLKnHxtg00+FWyf2huK2cY=',
    '-----END PRIVATE KEY-----'
].join('\n');
