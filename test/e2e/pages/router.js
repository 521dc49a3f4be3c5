// A minimal hash router, like the ones that own `#/…` fragments in real apps.
const view = document.getElementById('route');
const show = () => {
  view.textContent = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
};
addEventListener('hashchange', show);
show();
