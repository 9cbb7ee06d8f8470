// The sign-in page's one script (no WebAssembly: neither app bundle carries
// the sign-in form). It signs in with an email and password, or exchanges a
// one-time link's secret — in the URL's fragment, `#signin=…`, which the
// browser never sends to the server — for a session, taking it out of the
// address bar first. Then it goes to `?next=` (a path of this site only) or
// the dashboard. Words in English and Simplified Chinese, by `?lang=` or the
// browser's language, like the app.

const WORDS = {
  en: {
    title: 'Word-of-Mouth Analytics',
    tagline: 'Reach, fan conversion and how your campaign spreads',
    heading: 'Sign in',
    hint: 'Sign in with the email and password your agency gave you.',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    wrong: 'The email or the password is wrong.',
    linkUsed: 'This sign-in link has been used or has expired. Sign in with your password, or ask for a new link.',
    unreachable: 'The server does not answer. Check your connection and try again.',
    other: 'Switch to 中文',
  },
  zh: {
    title: '口碑传播分析',
    tagline: '触达、粉丝转化与口碑传播路径',
    heading: '登录',
    hint: '请使用代理机构提供的邮箱和密码登录。',
    email: '邮箱',
    password: '密码',
    submit: '登录',
    busy: '正在登录…',
    wrong: '邮箱或密码错误。',
    linkUsed: '此登录链接已被使用或已过期。请用密码登录，或索取新的链接。',
    unreachable: '服务器没有响应。请检查网络后重试。',
    other: 'English',
  },
};

const params = new URLSearchParams(location.search);
const asked = params.get('lang') ?? navigator.language ?? 'en';
const lang = asked.toLowerCase().startsWith('zh') ? 'zh' : 'en';
const words = WORDS[lang];
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
document.title = `${words.heading} · ${words.title}`;
for (const el of document.querySelectorAll('[data-msg]')) el.textContent = words[el.dataset.msg];
const langSwitch = document.getElementById('lang-switch');
const other = new URLSearchParams(params);
other.set('lang', lang === 'zh' ? 'en' : 'zh-CN');
langSwitch.href = `?${other}`;
langSwitch.hreflang = lang === 'zh' ? 'en' : 'zh-CN';
langSwitch.textContent = lang === 'zh' ? 'English' : '中文';

/** Where to go once signed in: a path of this site, never another origin. */
function next() {
  const n = params.get('next');
  if (n && n.startsWith('/') && !n.startsWith('//') && !n.includes('\\')) return n;
  return params.has('lang') ? `/?lang=${encodeURIComponent(params.get('lang'))}` : '/';
}

const form = document.getElementById('sign-in-form');
const error = document.getElementById('sign-in-error');
const button = document.getElementById('sign-in-button');
const password = document.getElementById('sign-in-password');

function say(text) {
  error.textContent = text;
  error.hidden = !text;
}

/** POST /api/v1/session; the answer's status and, on failure, its message. */
async function signIn(body) {
  try {
    const r = await fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (r.status === 204) return { ok: true };
    const message = await r.json().then((b) => b.error?.message, () => r.statusText);
    return { ok: false, status: r.status, message };
  } catch {
    return { ok: false, status: 0, message: words.unreachable };
  }
}

function failed(result, unauthorized) {
  say(result.status === 401 ? unauthorized : result.message || words.unreachable);
}

const link = location.hash.match(/^#signin=([0-9a-f]+)$/);
if (link) {
  // Out of the address bar (and the history) before anything else.
  history.replaceState(null, '', location.pathname + location.search);
  const result = await signIn({ link: link[1] });
  if (result.ok) location.replace(next());
  else failed(result, words.linkUsed);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (button.disabled) return;
  button.disabled = true;
  button.textContent = words.busy;
  say('');
  const result = await signIn({
    email: document.getElementById('sign-in-email').value,
    password: password.value,
  });
  if (result.ok) {
    location.assign(next());
    return;
  }
  button.disabled = false;
  button.textContent = words.submit;
  password.value = '';
  failed(result, words.wrong);
});
