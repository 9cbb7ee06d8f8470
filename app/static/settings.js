// The settings page's one script (no WebAssembly: neither app bundle
// carries these forms). An owner manages the workspace in `?ws=` (or their
// first owned one): members — added by email, with a one-time invitation link
// for someone without an account —, their roles and removal; API keys —
// created with scopes and shown once, listed with their last use, revoked.
// Everyone changes their own password and can sign out everywhere. Words in
// English and Simplified Chinese, by `?lang=` or the browser's language.

const WORDS = {
  en: {
    title: 'Word-of-Mouth Analytics', tagline: 'Reach, fan conversion and how your campaign spreads',
    heading: 'Settings', workspace: 'Workspace', members: 'Members', email: 'Email', name: 'Name',
    nameOptional: 'Name (for a new account)', role: 'Role', brand: 'Brand', actions: 'Actions',
    invite: 'Add a member', add: 'Add', remove: 'Remove', invitation: 'One-time invitation link (valid 24 hours): send it to them',
    keys: 'API keys', keyName: 'Name', prefix: 'Key', scopes: 'Scopes', created: 'Created', lastUsed: 'Last used',
    status: 'Status', newKey: 'New key', scopeRead: 'read', scopeIngest: 'ingest (send events, create brands and campaigns)',
    create: 'Create', keyOnce: 'The key, shown only now: store it safely', revoke: 'Revoke', revoked: 'revoked',
    active: 'active', never: 'never', yourAccount: 'Your account', currentPassword: 'Current password',
    newPassword: 'New password (8 or more characters)', changePassword: 'Change password',
    passwordChanged: 'Password changed. Your other sessions were signed out.',
    signOutEverywhere: 'Sign out everywhere', notOwner: 'Only a workspace’s owners manage its members and API keys.',
    confirmRemove: (e) => `Remove ${e} from this workspace?`, confirmRevoke: (n) => `Revoke key ${n}? Anything using it stops at once.`,
    roles: { owner: 'owner — everything', analyst: 'analyst — read, import, set up', viewer: 'viewer — read everything', client: 'client — one brand only' },
    noBrand: '—', back: 'Back to the dashboard',
  },
  zh: {
    title: '口碑传播分析', tagline: '触达、粉丝转化与口碑传播路径',
    heading: '设置', workspace: '工作区', members: '成员', email: '邮箱', name: '姓名',
    nameOptional: '姓名（新账号）', role: '角色', brand: '品牌', actions: '操作',
    invite: '添加成员', add: '添加', remove: '移除', invitation: '一次性邀请链接（24 小时内有效）：请发送给对方',
    keys: 'API 密钥', keyName: '名称', prefix: '密钥', scopes: '权限', created: '创建时间', lastUsed: '最近使用',
    status: '状态', newKey: '新建密钥', scopeRead: '读取 (read)', scopeIngest: '写入 (ingest：发送事件、创建品牌和活动)',
    create: '创建', keyOnce: '密钥仅显示这一次：请妥善保存', revoke: '吊销', revoked: '已吊销',
    active: '有效', never: '从未', yourAccount: '我的账号', currentPassword: '当前密码',
    newPassword: '新密码（至少 8 个字符）', changePassword: '修改密码',
    passwordChanged: '密码已修改，您的其他登录会话已退出。',
    signOutEverywhere: '退出所有设备', notOwner: '只有工作区的所有者可以管理成员和 API 密钥。',
    confirmRemove: (e) => `将 ${e} 移出此工作区？`, confirmRevoke: (n) => `吊销密钥 ${n}？使用它的程序将立即失效。`,
    roles: { owner: '所有者 — 全部权限', analyst: '分析师 — 查看、导入、设置', viewer: '查看者 — 查看全部', client: '客户 — 仅一个品牌' },
    noBrand: '—', back: '返回仪表盘',
  },
};

const params = new URLSearchParams(location.search);
const asked = params.get('lang') ?? navigator.language ?? 'en';
const lang = asked.toLowerCase().startsWith('zh') ? 'zh' : 'en';
const words = WORDS[lang];
const langTag = lang === 'zh' ? 'zh-CN' : 'en';
document.documentElement.lang = langTag;
document.title = `${words.heading} · ${words.title}`;
for (const el of document.querySelectorAll('[data-msg]')) el.textContent = words[el.dataset.msg];
const switchTo = new URLSearchParams(params);
switchTo.set('lang', lang === 'zh' ? 'en' : 'zh-CN');
const langSwitch = document.getElementById('lang-switch');
langSwitch.href = `?${switchTo}`;
langSwitch.hreflang = lang === 'zh' ? 'en' : 'zh-CN';
langSwitch.textContent = lang === 'zh' ? 'English' : '中文';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};
const when = (t) => (t ? new Date(t * 1000).toLocaleString(langTag, { dateStyle: 'medium', timeStyle: 'short' }) : words.never);

function say(id, text) {
  $(id).textContent = text ?? '';
  $(id).hidden = !text;
}

/** A request to the API; a 401 goes to the sign-in page and back here. */
async function api(method, path, body) {
  const r = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 401) {
    location.assign(`/sign-in?lang=${langTag}&next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new Error('signed out');
  }
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) throw new Error(data?.error?.message ?? `HTTP ${r.status}`);
  return data;
}

let me;
try {
  me = await api('GET', '/me');
} catch (e) {
  say('page-error', e.message);
  throw e;
}
const owned = me.workspaces.filter((w) => w.role === 'owner');
const ws = owned.find((w) => w.slug === params.get('ws')) ?? owned[0];
$('home').href = `/?${ws ? `ws=${encodeURIComponent(ws.slug)}&` : ''}lang=${langTag}`;
const base = ws ? `/workspaces/${encodeURIComponent(ws.slug)}` : '';

if (!ws) {
  $('workspace-line').textContent = words.notOwner;
} else {
  $('workspace-line').textContent = `${words.workspace}: ${ws.name}`;
  $('members').hidden = false;
  $('keys').hidden = false;
  await Promise.all([showMembers(), showKeys()]);
}

async function brands() {
  const all = await api('GET', '/brands');
  return all.filter((b) => b.workspace === ws.slug && !b.competitor);
}

function roleSelect(current) {
  const s = el('select');
  for (const r of Object.keys(words.roles)) s.append(el('option', { value: r, textContent: words.roles[r], selected: r === current }));
  return s;
}

function brandSelect(list, current) {
  const s = el('select');
  s.append(el('option', { value: '', textContent: words.noBrand }));
  for (const b of list) s.append(el('option', { value: String(b.id), textContent: b.name, selected: b.id === current }));
  return s;
}

async function showMembers() {
  const [members, list] = await Promise.all([api('GET', `${base}/members`), brands()]);
  const rows = $('member-rows');
  rows.replaceChildren();
  for (const m of members) {
    const role = roleSelect(m.role);
    const brand = brandSelect(list, m.brand);
    role.setAttribute('aria-label', `${words.role}: ${m.email}`);
    brand.setAttribute('aria-label', `${words.brand}: ${m.email}`);
    brand.disabled = m.role !== 'client';
    const change = async () => {
      brand.disabled = role.value !== 'client';
      if (role.value === 'client' && !brand.value) return;
      try {
        await api('PUT', `${base}/members/${encodeURIComponent(m.email)}`, {
          role: role.value,
          brand: role.value === 'client' ? Number(brand.value) : null,
        });
        say('member-error', '');
      } catch (e) {
        say('member-error', e.message);
      }
      await showMembers();
    };
    role.addEventListener('change', change);
    brand.addEventListener('change', change);
    const remove = el('button', { type: 'button', className: 'danger', textContent: words.remove });
    remove.setAttribute('aria-label', `${words.remove} ${m.email}`);
    remove.disabled = m.email === me.email;
    remove.addEventListener('click', async () => {
      if (!confirm(words.confirmRemove(m.email))) return;
      try {
        await api('DELETE', `${base}/members/${encodeURIComponent(m.email)}`);
        say('member-error', '');
      } catch (e) {
        say('member-error', e.message);
      }
      await showMembers();
    });
    rows.append(el('tr', {}, el('td', { textContent: m.email }), el('td', { textContent: m.name }), el('td', {}, role), el('td', {}, brand), el('td', {}, remove)));
  }
  const keep = $('member-role').value || 'viewer';
  $('member-role').replaceChildren(...roleSelect(keep).children);
  $('member-role').value = keep;
  $('member-brand').replaceChildren(...brandSelect(list, null).children);
  $('member-brand').value = '';
  $('member-brand').disabled = keep !== 'client';
}

$('member-role').addEventListener('change', () => {
  $('member-brand').disabled = $('member-role').value !== 'client';
});

$('member-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const role = $('member-role').value;
  // Only a client has a brand.
  const brand = role === 'client' ? $('member-brand').value : '';
  try {
    const added = await api('POST', `${base}/members`, {
      email: $('member-email').value,
      name: $('member-name').value || null,
      role,
      brand: brand ? Number(brand) : null,
    });
    say('member-error', '');
    $('invitation').hidden = !added.invitation;
    if (added.invitation) {
      const link = added.invitation.startsWith('/') ? location.origin + added.invitation : added.invitation;
      $('invitation-link').value = link;
    }
    $('member-email').value = '';
    $('member-name').value = '';
  } catch (e) {
    say('member-error', e.message);
  }
  await showMembers();
});

async function showKeys() {
  const keys = await api('GET', `${base}/keys`);
  const rows = $('key-rows');
  rows.replaceChildren();
  for (const k of keys) {
    const revoke = el('button', { type: 'button', className: 'danger', textContent: words.revoke, disabled: k.revoked });
    revoke.setAttribute('aria-label', `${words.revoke} ${k.prefix}`);
    revoke.addEventListener('click', async () => {
      if (!confirm(words.confirmRevoke(k.name || k.prefix))) return;
      try {
        await api('DELETE', `${base}/keys/${k.id}`);
        say('key-error', '');
      } catch (e) {
        say('key-error', e.message);
      }
      await showKeys();
    });
    rows.append(el('tr', { className: k.revoked ? 'revoked' : '' },
      el('td', { textContent: k.name }), el('td', {}, el('code', { textContent: k.prefix })),
      el('td', { textContent: k.scopes.join(', ') }), el('td', { textContent: when(k.created_at) }),
      el('td', { textContent: when(k.last_used_at) }), el('td', { textContent: k.revoked ? words.revoked : words.active }),
      el('td', {}, revoke)));
  }
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const scopes = [['read', $('key-read')], ['ingest', $('key-ingest')]].filter(([, c]) => c.checked).map(([s]) => s);
  try {
    const created = await api('POST', `${base}/keys`, { name: $('key-name').value, scopes });
    say('key-error', '');
    $('new-key').hidden = false;
    $('new-key-value').value = created.key;
    $('key-name').value = '';
  } catch (e) {
    say('key-error', e.message);
  }
  await showKeys();
});

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('password-status').textContent = '';
  try {
    await api('PUT', '/me/password', { current: $('password-current').value || null, password: $('password-new').value });
    say('password-error', '');
    $('password-status').textContent = words.passwordChanged;
  } catch (e) {
    say('password-error', e.message);
  }
  $('password-current').value = '';
  $('password-new').value = '';
});

$('sign-out-everywhere').addEventListener('click', async () => {
  await api('DELETE', '/me/sessions').catch(() => {});
  location.assign(`/sign-in?lang=${langTag}`);
});
