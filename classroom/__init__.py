"""classroom: the class store behind a teacher's class (members, pacing, questions, answers, the gallery).
It never imports Streamlit: the teacher's and students' pages build on store.ClassStore."""
